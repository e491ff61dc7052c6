/** Relays and index servers of a card, added from their tickets (src-core/files: `stmgr
 *  relay-ticket` / `stmgr index-ticket`, JSON or the original's TOML) as a file, pasted text or the
 *  text of a QR code. Pure; every refusal is one sentence saying what to fix. */
import { type AppRequest, MAX_INDEX_SERVERS, MAX_RELAYS, type NodeReport } from '../../src-core/app/index.ts';
import { toBase64Url } from '../../src-core/codec/index.ts';
import { declaredFileKind, parseAddressTicket } from '../../src-core/files/index.ts';
import type { Result } from '../../src-main/bridge.ts';

export type ServerKind = 'relay' | 'index';

const MAX_SERVER_NAME_BYTES = 128;
const utf8Length = (s: string): number => new TextEncoder().encode(s).length;
const TICKET = { relay: 'relay-ticket', index: 'index-ticket' } as const;
const WORD = { relay: 'relay', index: 'index server' } as const;

export interface ServerInput {
  readonly ticketText: string;
  readonly name: string;
}

/** The add-relay / add-index-server request for a ticket, refused when the text is not a ticket
 *  of that kind, the server is already configured, or the card has as many as it may. */
export function addServerRequest(kind: ServerKind, input: ServerInput, report: NodeReport): Result<AppRequest, string> {
  const text = input.ticketText.trim();
  if (text === '') return { ok: false, error: `Paste, open or scan the ${WORD[kind]}'s ticket.` };
  const declared = declaredFileKind(text);
  const other: ServerKind = kind === 'relay' ? 'index' : 'relay';
  if (declared === TICKET[other]) return { ok: false, error: `This is ${other === 'index' ? 'an index server' : 'a relay'} ticket: add it under ${other === 'relay' ? 'Relays' : 'Index servers'}.` };
  if (declared !== undefined && declared !== TICKET[kind]) return { ok: false, error: `This is not a ${WORD[kind]} ticket: it is a file of kind "${declared}".` };
  const t = parseAddressTicket(TICKET[kind], text);
  if (!t.ok) return { ok: false, error: `This is not a ${WORD[kind]} ticket we can read: ${t.error.message}` };
  const name = input.name.trim();
  if (name === '') return { ok: false, error: `Give the ${WORD[kind]} a name.` };
  if (utf8Length(name) > MAX_SERVER_NAME_BYTES) return { ok: false, error: `A name has at most ${MAX_SERVER_NAME_BYTES} bytes.` };
  const list = kind === 'relay' ? report.relays : report.indexServers;
  const key = toBase64Url(t.value.publicKey);
  const same = list.find((s) => toBase64Url(s.publicKey) === key);
  if (same !== undefined) return { ok: false, error: `This ${WORD[kind]} is already on this card, as "${same.name}".` };
  if (list.length >= (kind === 'relay' ? MAX_RELAYS : MAX_INDEX_SERVERS)) return { ok: false, error: `This card has as many ${WORD[kind]}s as it may; remove one first.` };
  const server = { publicKey: t.value.publicKey, address: t.value.address, name };
  return { ok: true, value: kind === 'relay' ? { kind: 'add-relay', relay: server } : { kind: 'add-index-server', server } };
}

export function removeServerRequest(kind: ServerKind, publicKey: Uint8Array): AppRequest {
  return kind === 'relay' ? { kind: 'remove-relay', publicKey } : { kind: 'remove-index-server', publicKey };
}

export type ServerStatus = 'connected' | 'standby' | 'not-connected';

export interface ServerRow {
  readonly publicKey: Uint8Array;
  readonly key: string;
  readonly name: string;
  readonly address: string;
  readonly status: ServerStatus;
}

/** The card's servers with what the report says of them. Relays: `connectedRelays` lists those
 *  the node listens on (friends reach it through them). Index servers: the node keeps one
 *  connection, to `connectedIndexServer`; while it has one the others stand by. */
export function serverRows(kind: ServerKind, report: NodeReport): ServerRow[] {
  const connected = new Set(kind === 'relay'
    ? (report.connectedRelays ?? []).map(toBase64Url)
    : report.connectedIndexServer === undefined ? [] : [toBase64Url(report.connectedIndexServer)]);
  const list = kind === 'relay' ? report.relays : report.indexServers;
  return list.map((s) => {
    const key = toBase64Url(s.publicKey);
    const status: ServerStatus = connected.has(key) ? 'connected' : kind === 'index' && connected.size > 0 ? 'standby' : 'not-connected';
    return { publicKey: s.publicKey, key, name: s.name, address: s.address, status };
  });
}

/** The suggested name of a ticket's server when the person gives none: from the file name. */
export function nameFromFileName(fileName: string): string {
  return fileName.replace(/\.(ticket|relay|index|json|toml|txt)$/i, '').replace(/[_-]+/g, ' ').trim();
}
