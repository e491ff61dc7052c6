/** Scoped pairing (issue 11 item 5; docs/wallet.md "Scoped pairing"): app tickets a person issues
 *  from the wallet for one card, each with chosen permissions (routes, buyer, seller, config), a
 *  name, and a new app identity; listed and revoked. A ticket lives as a file in the card's
 *  trusted directory (cli/trusted/pair-<id>.ticket, which the card's app listener reads), with
 *  its record in cli/tickets/<id>.json. Revoking deletes both and makes the node re-read the
 *  directory at once, which disconnects an app connected with that ticket. */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toBase64Url } from '../src-core/codec/index.ts';
import type { CryptoBackend } from '../src-core/crypto/index.ts';
import { type AppPermissions, formatAppTicket, formatIdent, formatNodeTicket, formatRcard, identFromSeed, parseAppTicket } from '../src-core/files/index.ts';
import type { RunningNode } from '../src-core/node/index.ts';
import type { AppTicketView, BridgeError, IssuedAppTicket, Result } from './bridge.ts';

export const TICKETS_DIR = 'tickets';
export const MAX_APP_TICKETS = 100;
/** 32 characters are at most 128 UTF-8 bytes: the rcard's name limit. */
export const MAX_TICKET_NAME_CHARS = 32;
const ID = /^[A-Za-z0-9_-]{22}$/;

type Fail = { readonly ok: false; readonly error: BridgeError };
const fail = (code: BridgeError['code'], message: string): Fail => ({ ok: false, error: { code, message } });

export interface TicketDeps {
  /** The card's cli folder (card-engines.node.ts CLI_DIR) and the trusted folder inside it. */
  readonly cliDir: string;
  readonly trustedDir: string;
  readonly node: RunningNode;
  readonly crypto: CryptoBackend;
  readonly random: (n: number) => Uint8Array;
  readonly now: () => number;
}

const ticketFile = (d: TicketDeps, id: string): string => join(d.trustedDir, `pair-${id}.ticket`);
const recordFile = (d: TicketDeps, id: string): string => join(d.cliDir, TICKETS_DIR, `${id}.json`);

function isView(v: unknown): v is AppTicketView {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  const p = o['permissions'] as Record<string, unknown> | undefined;
  return typeof o['id'] === 'string' && ID.test(o['id']) && typeof o['name'] === 'string' && typeof o['publicKey'] === 'string'
    && typeof o['createdAt'] === 'number' && typeof p === 'object' && p !== null
    && ['buyer', 'seller', 'config', 'routes'].every((k) => typeof p[k] === 'boolean');
}

/** The card's tickets, oldest first. A record that does not read is skipped (its ticket file,
 *  if any, still admits its app until revoked by hand). */
export async function listTickets(d: Pick<TicketDeps, 'cliDir'>): Promise<AppTicketView[]> {
  let names: string[];
  try {
    names = await readdir(join(d.cliDir, TICKETS_DIR));
  } catch {
    return [];
  }
  const out: AppTicketView[] = [];
  for (const n of names) {
    if (!n.endsWith('.json')) continue;
    try {
      const v: unknown = JSON.parse(await readFile(join(d.cliDir, TICKETS_DIR, n), 'utf8'));
      if (isView(v)) out.push({ id: v.id, name: v.name, publicKey: v.publicKey, permissions: { ...v.permissions }, createdAt: v.createdAt });
    } catch { /* skipped */ }
  }
  return out.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

/** A new app identity trusted with `permissions`; the files a person hands to stctrl (ident,
 *  node ticket) or to another wallet (rcard, also as a QR code). The card must be listening
 *  (command line access on): the node ticket names where. */
export async function issueTicket(d: TicketDeps, name: string, permissions: AppPermissions): Promise<Result<IssuedAppTicket, BridgeError>> {
  const label = name.trim();
  if (label === '') return fail('bad-input', 'Give the ticket a name (who or what it is for).');
  if ([...label].length > MAX_TICKET_NAME_CHARS) return fail('bad-input', `A ticket's name has at most ${MAX_TICKET_NAME_CHARS} characters.`);
  const address = d.node.appAddress;
  if (address === undefined) return fail('unavailable', 'Turn on command line access first: tickets let apps in through it.');
  if ((await listTickets(d)).length >= MAX_APP_TICKETS) return fail('bad-input', `A card keeps at most ${MAX_APP_TICKETS} tickets; revoke some first.`);
  const id = toBase64Url(d.random(16));
  const seed = d.random(32);
  const ident = identFromSeed(d.crypto, seed);
  seed.fill(0);
  const view: AppTicketView = { id, name: label, publicKey: toBase64Url(ident.publicKey), permissions: { ...permissions }, createdAt: d.now() };
  await mkdir(join(d.cliDir, TICKETS_DIR), { recursive: true, mode: 0o700 });
  await mkdir(d.trustedDir, { recursive: true, mode: 0o700 });
  await writeFile(recordFile(d, id), `${JSON.stringify(view, null, 2)}\n`, { mode: 0o600 });
  await writeFile(ticketFile(d, id), formatAppTicket({ publicKey: ident.publicKey, permissions }), { mode: 0o600 });
  const files: IssuedAppTicket = {
    ticket: view,
    appIdent: formatIdent(ident),
    nodeTicket: formatNodeTicket({ publicKey: d.node.publicKey, address }),
    rcard: formatRcard({
      name: label, nodePublicKey: d.node.publicKey, address, appPrivateKey: ident.privateKey, appPublicKey: ident.publicKey,
    }),
  };
  ident.privateKey.fill(0);
  return { ok: true, value: files };
}

/** Trusts an app that has its own identity (issue 7 §6 "or trusts a given app ticket"): its app
 *  ticket's text (`stmgr app-ticket`), with the permissions the ticket names. Listed and revoked
 *  like an issued ticket; the wallet never sees the app's private key. An app key the card
 *  already trusts through a ticket is refused. */
export async function trustTicket(d: TicketDeps, name: string, ticketText: string): Promise<Result<AppTicketView, BridgeError>> {
  const label = name.trim();
  if (label === '') return fail('bad-input', 'Give the ticket a name (who or what it is for).');
  if ([...label].length > MAX_TICKET_NAME_CHARS) return fail('bad-input', `A ticket's name has at most ${MAX_TICKET_NAME_CHARS} characters.`);
  const parsed = parseAppTicket(ticketText);
  if (!parsed.ok) return fail('bad-input', `This is not an app ticket: ${parsed.error.message} Nothing was trusted.`);
  const { publicKey, permissions } = parsed.value;
  const key = toBase64Url(publicKey);
  const tickets = await listTickets(d);
  if (tickets.some((t) => t.publicKey === key)) return fail('bad-input', 'This app is trusted by this card already. Nothing was changed.');
  if (tickets.length >= MAX_APP_TICKETS) return fail('bad-input', `A card keeps at most ${MAX_APP_TICKETS} tickets; revoke some first.`);
  const id = toBase64Url(d.random(16));
  const view: AppTicketView = { id, name: label, publicKey: key, permissions: { ...permissions }, createdAt: d.now() };
  await mkdir(join(d.cliDir, TICKETS_DIR), { recursive: true, mode: 0o700 });
  await mkdir(d.trustedDir, { recursive: true, mode: 0o700 });
  await writeFile(recordFile(d, id), `${JSON.stringify(view, null, 2)}\n`, { mode: 0o600 });
  await writeFile(ticketFile(d, id), formatAppTicket({ publicKey, permissions }), { mode: 0o600 });
  await d.node.refreshTrusted(); // in effect before the answer, not at the folder watcher's pace
  return { ok: true, value: view };
}

/** Deletes the ticket; an app connected with it is disconnected before this resolves. */
export async function revokeTicket(d: TicketDeps, id: string): Promise<Result<void, BridgeError>> {
  if (!ID.test(id) || !(await listTickets(d)).some((t) => t.id === id)) return fail('bad-input', 'No such ticket on this card.');
  await rm(ticketFile(d, id), { force: true });
  await rm(recordFile(d, id), { force: true });
  await d.node.refreshTrusted();
  return { ok: true, value: undefined };
}
