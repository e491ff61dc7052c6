/** Funder mutations: what the store persists for one event, and how they apply. Each names one
 *  top-level entry and carries its whole new value, except a friend that existed before the event:
 *  its `patch-friend` carries only what changed (friend-patch.ts), since a friend's state holds
 *  every payment in flight through it. `mutationsBetween` derives them from the states before and
 *  after an event. `applyMutation` is total for every kind but `patch-friend`, which throws
 *  PatchMismatch when the state is not the one the patch was made from (a journal that does not
 *  belong to its snapshot), instead of guessing like the original's unwrap()s (§7.1). */
import { type FriendPatch, PatchMismatch, applyFriendPatch, friendPatch } from './friend-patch.ts';
import { type Hex, toHex } from './hex.ts';
import type {
  FriendState, FunderSettings, FunderState, NamedRelayAddress, OpenInvoice, OpenTransaction, Payment,
} from './state.ts';

export type FunderMutation =
  | { readonly kind: 'set-relays'; readonly relays: readonly NamedRelayAddress[] }
  | { readonly kind: 'set-settings'; readonly settings: FunderSettings }
  | { readonly kind: 'set-friend'; readonly friend: FriendState }
  | { readonly kind: 'remove-friend'; readonly publicKey: Hex }
  | { readonly kind: 'patch-friend'; readonly publicKey: Hex; readonly patch: FriendPatch }
  | { readonly kind: 'set-invoice'; readonly invoiceId: Hex; readonly invoice: OpenInvoice }
  | { readonly kind: 'remove-invoice'; readonly invoiceId: Hex }
  | { readonly kind: 'set-transaction'; readonly requestId: Hex; readonly transaction: OpenTransaction }
  | { readonly kind: 'remove-transaction'; readonly requestId: Hex }
  | { readonly kind: 'set-payment'; readonly paymentId: Hex; readonly payment: Payment }
  | { readonly kind: 'remove-payment'; readonly paymentId: Hex }
  | { readonly kind: 'set-online'; readonly publicKey: Hex; readonly online: boolean };

function withEntry<V>(m: ReadonlyMap<Hex, V>, k: Hex, v: V | undefined): ReadonlyMap<Hex, V> {
  const out = new Map(m);
  if (v === undefined) out.delete(k); else out.set(k, v);
  return out;
}

export function applyMutation(state: FunderState, m: FunderMutation): FunderState {
  switch (m.kind) {
    case 'set-relays': return { ...state, relays: m.relays };
    case 'set-settings': return { ...state, settings: m.settings };
    case 'set-friend': return { ...state, friends: withEntry(state.friends, toHex(m.friend.remotePublicKey), m.friend) };
    case 'remove-friend': return { ...state, friends: withEntry(state.friends, m.publicKey, undefined) };
    case 'patch-friend': {
      const f = state.friends.get(m.publicKey);
      if (f === undefined) throw new PatchMismatch(`a patch for friend ${m.publicKey} that does not exist`);
      return { ...state, friends: withEntry(state.friends, m.publicKey, applyFriendPatch(f, m.patch)) };
    }
    case 'set-invoice': return { ...state, openInvoices: withEntry(state.openInvoices, m.invoiceId, m.invoice) };
    case 'remove-invoice': return { ...state, openInvoices: withEntry(state.openInvoices, m.invoiceId, undefined) };
    case 'set-transaction': return { ...state, openTransactions: withEntry(state.openTransactions, m.requestId, m.transaction) };
    case 'remove-transaction': return { ...state, openTransactions: withEntry(state.openTransactions, m.requestId, undefined) };
    case 'set-payment': return { ...state, payments: withEntry(state.payments, m.paymentId, m.payment) };
    case 'remove-payment': return { ...state, payments: withEntry(state.payments, m.paymentId, undefined) };
    case 'set-online': {
      const online = new Set(state.online);
      if (m.online) online.add(m.publicKey); else online.delete(m.publicKey);
      return { ...state, online };
    }
  }
}

function diffMap<V>(
  before: ReadonlyMap<Hex, V>, after: ReadonlyMap<Hex, V>, set: (k: Hex, v: V) => FunderMutation, remove: (k: Hex) => FunderMutation,
): FunderMutation[] {
  if (before === after) return [];
  const out: FunderMutation[] = [];
  for (const [k, v] of after) if (before.get(k) !== v) out.push(set(k, v));
  for (const k of before.keys()) if (!after.has(k)) out.push(remove(k));
  return out;
}

/** The mutations that turn `before` into `after` (entries compared by identity: the step never
 *  mutates, so an unchanged entry is the same object). */
export function mutationsBetween(before: FunderState, after: FunderState): FunderMutation[] {
  const out: FunderMutation[] = [];
  if (before.relays !== after.relays) out.push({ kind: 'set-relays', relays: after.relays });
  if (before.settings !== after.settings) out.push({ kind: 'set-settings', settings: after.settings });
  out.push(...diffMap(before.friends, after.friends, (k, friend) => {
    const old = before.friends.get(k);
    return old === undefined ? { kind: 'set-friend', friend } : { kind: 'patch-friend', publicKey: k, patch: friendPatch(old, friend) };
  }, (publicKey) => ({ kind: 'remove-friend', publicKey })));
  out.push(...diffMap(before.openInvoices, after.openInvoices, (invoiceId, invoice) => ({ kind: 'set-invoice', invoiceId, invoice }), (invoiceId) => ({ kind: 'remove-invoice', invoiceId })));
  out.push(...diffMap(before.openTransactions, after.openTransactions, (requestId, transaction) => ({ kind: 'set-transaction', requestId, transaction }), (requestId) => ({ kind: 'remove-transaction', requestId })));
  out.push(...diffMap(before.payments, after.payments, (paymentId, payment) => ({ kind: 'set-payment', paymentId, payment }), (paymentId) => ({ kind: 'remove-payment', paymentId })));
  if (before.online !== after.online) {
    for (const k of after.online) if (!before.online.has(k)) out.push({ kind: 'set-online', publicKey: k, online: true });
    for (const k of before.online) if (!after.online.has(k)) out.push({ kind: 'set-online', publicKey: k, online: false });
  }
  return out;
}
