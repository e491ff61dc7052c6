/** What the card screen's forms turn into app requests: a friend file with a name and a
 *  starting balance, a max debt. Pure; every refusal is one sentence saying what to fix. */
import { type AppRequest, DEFAULT_CURRENCY, type NodeReport } from '../../src-core/app/index.ts';
import { formatFriend, parseFriend } from '../../src-core/files/index.ts';
import type { Result } from '../../src-main/bridge.ts';
import { describeAmountError, parseAmount } from '../parse-amount.ts';

/** Card balances are whole credits for now (docs/wallet.md: no per-currency decimals yet). */
export const CARD_DECIMALS = 0;
const I128_MAX = (1n << 127n) - 1n;
const MAX_CURRENCY_BYTES = 16;
const MAX_FRIEND_NAME_BYTES = 64;
const utf8Length = (s: string): number => new TextEncoder().encode(s).length;

export interface AddFriendInput {
  readonly fileText: string;
  /** Empty: the name suggested by the file, if any. */
  readonly name: string;
  readonly currency: string;
  /** What the friend owes us to start with (negative: what we owe); empty means 0. */
  readonly balance: string;
}

export type AddFriendRequest = Extract<AppRequest, { kind: 'add-friend' }>;

export function parseCurrency(text: string): Result<string, string> {
  const c = text.trim();
  if (c === '') return { ok: false, error: 'Enter a currency, for example FST.' };
  if (utf8Length(c) > MAX_CURRENCY_BYTES) return { ok: false, error: `A currency name has at most ${MAX_CURRENCY_BYTES} bytes.` };
  return { ok: true, value: c };
}

/** A signed whole amount: an optional minus sign, then what parseAmount accepts. */
export function parseSignedAmount(text: string): Result<bigint, string> {
  const t = text.trim().replace(/^\u2212/, '-');
  if (t === '') return { ok: true, value: 0n };
  const negative = t.startsWith('-');
  const r = parseAmount(negative ? t.slice(1) : t, CARD_DECIMALS);
  if (!r.ok) return { ok: false, error: `The starting balance: ${describeAmountError(r.error)}` };
  if (r.value > I128_MAX) return { ok: false, error: 'The starting balance is too large.' };
  return { ok: true, value: negative ? -r.value : r.value };
}

export function addFriendRequest(input: AddFriendInput, existing: readonly Uint8Array[]): Result<AddFriendRequest, string> {
  if (input.fileText.trim() === '') return { ok: false, error: 'Paste or open the friend file your friend gave you.' };
  const file = parseFriend(input.fileText);
  if (!file.ok) return { ok: false, error: `This is not a friend file we can read: ${file.error.message}` };
  const key = file.value.publicKey;
  if (existing.some((k) => k.length === key.length && k.every((b, i) => b === key[i]))) {
    return { ok: false, error: 'This friend is already on this card.' };
  }
  const name = input.name.trim() === '' ? (file.value.name ?? '') : input.name.trim();
  if (name === '') return { ok: false, error: 'Give this friend a name.' };
  if (utf8Length(name) > MAX_FRIEND_NAME_BYTES) return { ok: false, error: `A friend's name has at most ${MAX_FRIEND_NAME_BYTES} bytes.` };
  const currency = parseCurrency(input.currency === '' ? DEFAULT_CURRENCY : input.currency);
  if (!currency.ok) return currency;
  const balance = parseSignedAmount(input.balance);
  if (!balance.ok) return balance;
  return {
    ok: true,
    value: {
      kind: 'add-friend', friendPublicKey: key, name,
      relays: file.value.relays.map((r) => ({ publicKey: r.publicKey, address: r.address })),
      initialBalances: [{ currency: currency.value, balance: balance.value }],
    },
  };
}

/** How far we let the friend owe us: a non-negative whole amount. */
export function parseMaxDebt(text: string): Result<bigint, string> {
  const r = parseAmount(text, CARD_DECIMALS);
  if (!r.ok) return { ok: false, error: `The max debt: ${describeAmountError(r.error)}` };
  return { ok: true, value: r.value };
}

/** The card's own friend file (src-core/files formatFriend): its key and its relays, with the
 *  card's name as the suggested name. */
export function ownFriendText(report: NodeReport, cardName: string): string {
  const name = utf8Length(cardName) <= MAX_FRIEND_NAME_BYTES && cardName !== '' ? cardName : undefined;
  const relays = report.relays.map((r) => ({ publicKey: r.publicKey, address: r.address }));
  return formatFriend(name === undefined ? { publicKey: report.localPublicKey, relays } : { publicKey: report.localPublicKey, relays, name });
}
