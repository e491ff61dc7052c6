/** The card's history as the History tab shows it: the node's history rows (query-history,
 *  src-core/node/history.ts) with a readable kind, state, counterpart and time, searched and
 *  filtered. Pure, bigint amounts. */
import { type HistoryEntry, type NodeReport, receipt as receiptCodec } from '../../src-core/app/index.ts';
import { decodeExact, toBase64Url } from '../../src-core/codec/index.ts';
import type { Receipt } from '../../src-core/proto/index.ts';
import { CARD_DECIMALS } from '../card/friend-input.ts';
import { formatAmount } from '../format-amount.ts';

export interface HistoryItem {
  readonly id: string;
  /** payment (we paid), invoice (we were paid against our invoice), received (paid without an
   *  invoice), fee-paid (what a part of our payment paid the mediators), fee-earned (what this
   *  card earned forwarding someone's payment). */
  readonly kind: string;
  readonly kindLabel: string;
  readonly time: number;
  readonly currency: string;
  /** Negative: paid out; positive: received. */
  readonly amount: bigint;
  /** What the payment cost in fees, when this window knows it (the node does not keep it). */
  readonly fee: bigint | undefined;
  /** The counterpart's public key (base64url), when the row names one. */
  readonly counterpartKey: string | undefined;
  /** A friend's name for the counterpart when it is a friend of the card; else its key. */
  readonly counterpart: string;
  readonly state: string;
  readonly stateLabel: string;
  /** Credits moved: a payment that succeeded, an invoice collected. The others show the amount
   *  asked or offered, without a sign. */
  readonly settled: boolean;
  /** A successful payment's receipt. */
  readonly receipt: Receipt | undefined;
  /** The friends whose channels the payment's parts went through (the row's via), named like the
   *  counterpart, with the amount through each; empty when the node did not record it. */
  readonly through: readonly { readonly name: string; readonly key: string; readonly amount: bigint }[];
}

const KIND_LABELS: Readonly<Record<string, string>> = {
  payment: 'Payment', invoice: 'Invoice', received: 'Received', 'fee-paid': 'Fee paid', 'fee-earned': 'Fee earned',
};
const STATE_LABELS: Readonly<Record<string, string>> = {
  'in-progress': 'in progress', committed: 'committed, waiting for the seller', success: 'paid', canceled: 'cancelled', open: 'open', collected: 'collected', paid: 'paid', earned: 'earned',
};
/** States in which credits moved (src-core/node/history.ts): a payment that succeeded, an invoice
 *  collected, a fee paid by one of our payments or earned forwarding another's. */
const SETTLED = new Set(['success', 'collected', 'paid', 'earned']);

export function historyItem(row: HistoryEntry, report: NodeReport | undefined, fees: ReadonlyMap<string, bigint> = new Map()): HistoryItem {
  const nameOf = (key: string): string | undefined => report?.friends.find((f) => toBase64Url(f.publicKey) === key)?.name;
  const friendName = row.counterpart === undefined ? undefined : nameOf(row.counterpart);
  let receipt: Receipt | undefined;
  if (row.kind === 'payment' && row.state === 'success' && row.data.length > 0) {
    const r = decodeExact(receiptCodec, row.data);
    if (r.ok) receipt = r.value;
  }
  return {
    id: row.id,
    kind: row.kind,
    kindLabel: KIND_LABELS[row.kind] ?? row.kind,
    time: row.time,
    currency: row.currency,
    amount: row.amount,
    fee: fees.get(row.id),
    counterpartKey: row.counterpart,
    counterpart: friendName ?? row.counterpart ?? '',
    state: row.state,
    stateLabel: STATE_LABELS[row.state] ?? row.state,
    settled: SETTLED.has(row.state),
    receipt,
    through: row.via.map((v) => ({ name: nameOf(v.friend) ?? v.friend, key: v.friend, amount: v.amount })),
  };
}

/** "Bob" for one friend, "Bob 6, Carol 4" for a payment split over several; '' for none. */
export function throughText(i: HistoryItem): string {
  if (i.through.length === 1) return i.through[0]?.name ?? '';
  return i.through.map((t) => `${t.name} ${formatAmount(t.amount, CARD_DECIMALS, { group: ',' })}`).join(', ');
}

/** Worth a line under the counterpart: an invoice's payers, a payment routed through someone
 *  other than its destination. A payment straight to a friend says nothing new. */
export function showsThrough(i: HistoryItem): boolean {
  return i.through.length > 0 && !(i.through.length === 1 && i.through[0]?.key === i.counterpartKey);
}

export interface HistoryFilterInput {
  /** '' = all. */
  readonly kind: string;
  readonly state: string;
  readonly currency: string;
  /** Case-insensitive words, all of which must appear in the row's text. */
  readonly text: string;
}

export const NO_FILTER: HistoryFilterInput = { kind: '', state: '', currency: '', text: '' };

/** The time as the table shows it: UTC, to the second (ISO 8601 without milliseconds). */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const formatSigned = (v: bigint): string => `${v > 0n ? '+' : ''}${formatAmount(v, CARD_DECIMALS, { group: ',' })}`;

function searchText(i: HistoryItem): string {
  return [i.id, i.kindLabel, i.kind, i.stateLabel, i.state, i.currency, i.counterpart, i.counterpartKey ?? '', ...i.through.map((t) => t.name),
    i.amount.toString(), formatSigned(i.amount), formatTime(i.time)].join(' ').toLowerCase();
}

export function filterItems(items: readonly HistoryItem[], f: HistoryFilterInput): HistoryItem[] {
  const words = f.text.toLowerCase().split(/\s+/).filter((w) => w !== '');
  return items.filter((i) => (f.kind === '' || i.kind === f.kind)
    && (f.state === '' || i.state === f.state)
    && (f.currency === '' || i.currency === f.currency)
    && (words.length === 0 || words.every((w) => searchText(i).includes(w))));
}

/** The distinct values of one field, sorted, for the filter menus. */
export function choices(items: readonly HistoryItem[], field: 'kind' | 'state' | 'currency'): string[] {
  return [...new Set(items.map((i) => i[field]))].sort();
}

export const kindLabel = (k: string): string => KIND_LABELS[k] ?? k;
export const stateLabel = (s: string): string => STATE_LABELS[s] ?? s;
