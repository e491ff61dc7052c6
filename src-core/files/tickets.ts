/** Tickets: what a server or an app hands out so others can reach or trust it.
 *  node, relay and index tickets are a public key and a `host:port`; an app ticket is the app's
 *  public key and its permissions. The `kind` field tells the three address tickets apart (the
 *  tutorial names a relay ticket `relay.ticket` and an index ticket `index_server.ticket`). */
import type { Result } from '../codec/index.ts';
import { PUBLIC_KEY_LEN } from '../crypto/index.ts';
import { parseDocument } from './document.ts';
import { FieldReader } from './fields.ts';
import type { FileError } from './file-error.ts';
import { catching } from './file-error.ts';
import { b64, jsonText } from './json-text.ts';
import { parseNetAddress } from './address.ts';

export type AddressTicketKind = 'node-ticket' | 'relay-ticket' | 'index-ticket';

export interface AddressTicket {
  readonly publicKey: Uint8Array;
  /** `host:port`, validated by parseNetAddress. */
  readonly address: string;
}

export function formatAddressTicket(kind: AddressTicketKind, ticket: AddressTicket): string {
  const a = parseNetAddress(ticket.address);
  if (!a.ok) throw new RangeError(`address: ${a.problem}`);
  return jsonText({ kind, publicKey: b64(ticket.publicKey, PUBLIC_KEY_LEN, 'publicKey'), address: ticket.address });
}

export function parseAddressTicket(kind: AddressTicketKind, text: string): Result<AddressTicket, FileError> {
  return catching(() => {
    const f = new FieldReader(kind, parseDocument(kind, text));
    f.kind(kind);
    const publicKey = f.bytes('publicKey', PUBLIC_KEY_LEN);
    const address = f.address('address');
    f.end();
    return { publicKey, address };
  });
}

export const formatNodeTicket = (t: AddressTicket): string => formatAddressTicket('node-ticket', t);
export const formatRelayTicket = (t: AddressTicket): string => formatAddressTicket('relay-ticket', t);
export const formatIndexTicket = (t: AddressTicket): string => formatAddressTicket('index-ticket', t);
export const parseNodeTicket = (text: string): Result<AddressTicket, FileError> => parseAddressTicket('node-ticket', text);
export const parseRelayTicket = (text: string): Result<AddressTicket, FileError> => parseAddressTicket('relay-ticket', text);
export const parseIndexTicket = (text: string): Result<AddressTicket, FileError> => parseAddressTicket('index-ticket', text);

/** What an app may do (the original 0.1.11's AppPermissions). Sending funds is `buyer`: the
 *  tutorial's `--pfunds` and a file's legacy `funds` field both mean buyer (docs/files.md). */
export interface AppPermissions {
  readonly buyer: boolean;
  readonly seller: boolean;
  readonly config: boolean;
  readonly routes: boolean;
}

export const NO_PERMISSIONS: AppPermissions = Object.freeze({ buyer: false, seller: false, config: false, routes: false });

export interface AppTicket {
  readonly publicKey: Uint8Array;
  readonly permissions: AppPermissions;
}

export function formatAppTicket(ticket: AppTicket): string {
  const p = ticket.permissions;
  return jsonText({
    kind: 'app-ticket',
    publicKey: b64(ticket.publicKey, PUBLIC_KEY_LEN, 'publicKey'),
    permissions: { buyer: p.buyer === true, seller: p.seller === true, config: p.config === true, routes: p.routes === true },
  });
}

export function parseAppTicket(text: string): Result<AppTicket, FileError> {
  return catching(() => {
    const f = new FieldReader('app-ticket', parseDocument('app-ticket', text));
    f.kind('app-ticket');
    const publicKey = f.bytes('publicKey', PUBLIC_KEY_LEN);
    const p = f.object('permissions');
    const buyer = p.optionalBool('buyer') ?? false;
    const funds = p.optionalBool('funds', ['sendFunds']) ?? false;
    const permissions: AppPermissions = {
      buyer: buyer || funds,
      seller: p.optionalBool('seller') ?? false,
      config: p.optionalBool('config') ?? false,
      routes: p.optionalBool('routes') ?? false,
    };
    p.end();
    f.end();
    return { publicKey, permissions };
  });
}
