/** What the friend page turns into app requests, checked before anything is sent, and what it
 *  says about a friend before a step that cannot be undone (removing it, resetting its channel).
 *  Pure; every refusal is one sentence saying what to fix. */
import { type AppRequest, type CurrencyBalance, type FriendReport, compareCurrencies } from '../../src-core/app/index.ts';
import { toBase64Url } from '../../src-core/codec/index.ts';
import { parseFriend } from '../../src-core/files/index.ts';
import type { Result } from '../../src-main/bridge.ts';
import { CARD_DECIMALS, parseCurrency } from '../card/friend-input.ts';
import { formatAmount } from '../format-amount.ts';
import { parseFeeRate } from './fee-rate.ts';

const MAX_FRIEND_NAME_BYTES = 64;
const utf8Length = (s: string): number => new TextEncoder().encode(s).length;
const amount = (v: bigint): string => formatAmount(v, CARD_DECIMALS, { group: ',' });

export function renameRequest(friend: FriendReport, text: string): Result<AppRequest, string> {
  const name = text.trim();
  if (name === '') return { ok: false, error: 'Enter the new name.' };
  if (utf8Length(name) > MAX_FRIEND_NAME_BYTES) return { ok: false, error: `A friend's name has at most ${MAX_FRIEND_NAME_BYTES} bytes.` };
  return { ok: true, value: { kind: 'set-friend-name', friendPublicKey: friend.publicKey, name } };
}

/** The friend's relays from a newer friend file of the same friend (set-friend-relays): when it
 *  moved to other relays, its old entry here no longer reaches it. */
export function relaysRequest(friend: FriendReport, fileText: string): Result<AppRequest, string> {
  if (fileText.trim() === '') return { ok: false, error: `Paste or open ${friend.name}'s new friend file.` };
  const f = parseFriend(fileText);
  if (!f.ok) return { ok: false, error: `This is not a friend file we can read: ${f.error.message}` };
  if (toBase64Url(f.value.publicKey) !== toBase64Url(friend.publicKey)) {
    return { ok: false, error: `This friend file is not ${friend.name}'s: its public key is another one.` };
  }
  const relays = f.value.relays.map((r) => ({ publicKey: r.publicKey, address: r.address }));
  return { ok: true, value: { kind: 'set-friend-relays', friendPublicKey: friend.publicKey, relays } };
}

export function addCurrencyRequest(friend: FriendReport, text: string): Result<AppRequest, string> {
  const c = parseCurrency(text);
  if (!c.ok) return c;
  if (friend.currencies.some((x) => x.currency === c.value)) return { ok: false, error: `${friend.name} already has the currency ${c.value}.` };
  return { ok: true, value: { kind: 'add-friend-currency', friendPublicKey: friend.publicKey, currency: c.value } };
}

/** The node refuses to drop a currency with credit history in the channel; say so first. */
export function removeCurrencyRequest(friend: FriendReport, currency: string): Result<AppRequest, string> {
  const c = friend.currencies.find((x) => x.currency === currency);
  if (c === undefined) return { ok: false, error: `${friend.name} has no currency ${currency}.` };
  if (c.balance !== 0n || c.localPendingDebt !== 0n || c.remotePendingDebt !== 0n) {
    return { ok: false, error: `${currency} cannot be removed while its balance or pending payments with ${friend.name} are not 0.` };
  }
  return { ok: true, value: { kind: 'remove-friend-currency', friendPublicKey: friend.publicKey, currency } };
}

export function rateRequest(friend: FriendReport, currency: string, percentText: string, addText: string): Result<AppRequest, string> {
  if (!friend.currencies.some((x) => x.currency === currency)) return { ok: false, error: `${friend.name} has no currency ${currency}.` };
  const r = parseFeeRate(percentText, addText, CARD_DECIMALS);
  if (!r.ok) return r;
  return { ok: true, value: { kind: 'set-friend-currency-rate', friendPublicKey: friend.publicKey, currency, rate: r.value } };
}

export type RemovalCheck =
  | { readonly kind: 'refused'; readonly reason: string }
  /** `warnings`: what is lost by removing (non-zero balances); empty when nothing is. */
  | { readonly kind: 'allowed'; readonly warnings: readonly string[] };

/** Removing a friend forgets the channel: pending payments would be cancelled and balances can
 *  no longer be settled through Offset. Decision (docs/wallet.md): refused while payments are
 *  pending through the friend; allowed with a plain warning for each non-zero balance. */
export function removalCheck(friend: FriendReport): RemovalCheck {
  const pending = friend.currencies.filter((c) => c.localPendingDebt !== 0n || c.remotePendingDebt !== 0n);
  if (pending.length > 0) {
    const list = pending.map((c) => `${amount(c.localPendingDebt + c.remotePendingDebt)} ${c.currency}`).join(', ');
    return { kind: 'refused', reason: `Payments of ${list} are still pending with ${friend.name}. Wait until they finish, then remove ${friend.name}.` };
  }
  const balances: CurrencyBalance[] = friend.channel.kind === 'inconsistent'
    ? [...friend.channel.localResetTerms]
    : friend.currencies.map((c) => ({ currency: c.currency, balance: c.balance }));
  const warnings = balances.filter((b) => b.balance !== 0n).sort((a, b) => compareCurrencies(a.currency, b.currency)).map((b) => (b.balance > 0n
    ? `${friend.name} owes you ${amount(b.balance)} ${b.currency}: after removing, this debt is forgotten by this card.`
    : `You owe ${friend.name} ${amount(-b.balance)} ${b.currency}: after removing, this card forgets it, but ${friend.name} will not.`));
  return { kind: 'allowed', warnings };
}

export interface ResetView {
  /** Our view: what the friend owes us, per currency. */
  readonly ours: readonly CurrencyBalance[];
  /** The friend's proposal turned into our view (what the friend would owe us after the reset);
   *  undefined until the friend sent its terms. */
  readonly theirs: readonly CurrencyBalance[] | undefined;
  readonly resetToken: Uint8Array | undefined;
  /** Sentences explaining what accepting means. */
  readonly explanation: readonly string[];
}

/** An inconsistent channel: the two sides disagree on the balances. Each proposes terms (its
 *  settled balances, pending payments counted as cancelled, docs/funder.md "Reset terms"); the
 *  friend's terms are in its own view, so ours after accepting are their negation. */
export function resetView(friend: FriendReport): ResetView | undefined {
  if (friend.channel.kind !== 'inconsistent') return undefined;
  const ours = [...friend.channel.localResetTerms].sort((a, b) => compareCurrencies(a.currency, b.currency));
  const remote = friend.channel.remoteResetTerms;
  const theirs = remote?.balanceForReset.map((b) => ({ currency: b.currency, balance: -b.balance })).sort((a, b) => compareCurrencies(a.currency, b.currency));
  const say = (b: CurrencyBalance): string => (b.balance === 0n ? `0 ${b.currency}` : b.balance > 0n
    ? `${friend.name} owes you ${amount(b.balance)} ${b.currency}` : `you owe ${friend.name} ${amount(-b.balance)} ${b.currency}`);
  const explanation = [
    `This card and ${friend.name} disagree about what you owe each other, so no payment can pass between you until the channel is reset.`,
    `By this card's records: ${ours.length === 0 ? 'nothing is owed' : ours.map(say).join('; ')}.`,
    theirs === undefined
      ? `${friend.name} has not sent its terms yet. Keep ${friend.name} enabled and wait until it is online.`
      : `${friend.name} proposes to start again from: ${theirs.length === 0 ? 'nothing owed' : theirs.map(say).join('; ')}.`,
    'Resetting accepts these terms: the balances become exactly these, payments that were pending between you are cancelled, and the friendship goes on. Only accept if you agree with these amounts.',
  ];
  return { ours, theirs, resetToken: remote?.resetToken, explanation };
}

export function resetRequest(friend: FriendReport): Result<AppRequest, string> {
  const v = resetView(friend);
  if (v === undefined) return { ok: false, error: `The channel with ${friend.name} is consistent: there is nothing to reset.` };
  if (v.resetToken === undefined) return { ok: false, error: `${friend.name} has not sent its reset terms yet; wait until it is online.` };
  if (!friend.enabled || !friend.online) return { ok: false, error: `${friend.name} must be enabled and online to reset the channel.` };
  return { ok: true, value: { kind: 'reset-friend-channel', friendPublicKey: friend.publicKey, resetToken: v.resetToken } };
}
