/** Scoped pairing (docs/wallet.md "Scoped pairing"): the open card's app tickets through the
 *  bridge (`cli.tickets.list/issue/revoke`). The host keeps the tickets; this keeps the last list
 *  it read, per card. An issued ticket's secret files are returned to the caller once and never
 *  kept in the store. */
import type { StateCreator } from 'zustand/vanilla';
import type { AppTicketView, Bridge, IssuedAppTicket, Result, TicketPermissions } from '../../src-main/bridge.ts';
import type { AppState } from '../store/app-store.ts';

export type TicketsView =
  | { readonly kind: 'loading' }
  | { readonly kind: 'loaded'; readonly tickets: readonly AppTicketView[] }
  | { readonly kind: 'failed'; readonly message: string };

export interface PairingSlice {
  readonly appTickets: ReadonlyMap<string, TicketsView>;
  loadTickets(cardId: string): Promise<void>;
  issueTicket(cardId: string, name: string, permissions: TicketPermissions): Promise<Result<IssuedAppTicket, string>>;
  revokeTicket(cardId: string, ticketId: string): Promise<Result<void, string>>;
}

export const createPairingSlice = (bridge: Bridge): StateCreator<AppState, [], [], PairingSlice> => (set) => {
  const put = (cardId: string, v: TicketsView): void => set((s) => ({ appTickets: new Map(s.appTickets).set(cardId, v) }));
  async function load(cardId: string): Promise<void> {
    const r = await bridge.call('cli.tickets.list', { cardId });
    put(cardId, r.ok ? { kind: 'loaded', tickets: r.value.tickets } : { kind: 'failed', message: `The card's tickets could not be read: ${r.error.message}` });
  }
  return {
    appTickets: new Map(),
    async loadTickets(cardId) {
      put(cardId, { kind: 'loading' });
      await load(cardId);
    },
    async issueTicket(cardId, name, permissions) {
      const r = await bridge.call('cli.tickets.issue', { cardId, name: name.trim(), permissions });
      await load(cardId);
      return r.ok ? r : { ok: false, error: `The ticket was not issued: ${r.error.message}` };
    },
    async revokeTicket(cardId, ticketId) {
      const r = await bridge.call('cli.tickets.revoke', { cardId, ticketId });
      await load(cardId);
      return r.ok ? r : { ok: false, error: `The ticket was not revoked: ${r.error.message}` };
    },
  };
};

/** What a ticket allows, in words. */
export function permissionWords(p: TicketPermissions): string {
  const words = [p.routes && 'routes', p.buyer && 'pay', p.seller && 'invoices', p.config && 'configure'].filter((w): w is string => typeof w === 'string');
  return words.length === 0 ? 'read only' : words.join(', ');
}

/** A ticket's name: 1–32 characters (the host's limit; also the rcard's name). */
export function checkTicketName(text: string): Result<string, string> {
  const t = text.trim();
  if (t === '') return { ok: false, error: 'Give the ticket a name: who or what it is for.' };
  if ([...t].length > 32) return { ok: false, error: 'A ticket name has at most 32 characters.' };
  return { ok: true, value: t };
}

const safe = (s: string): string => s.replace(/[^A-Za-z0-9 ._-]+/g, '_').trim() || 'app';
export const ticketFileBase = (card: string, ticket: string): string => `${safe(card)} - ${safe(ticket)}`;
