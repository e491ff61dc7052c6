/** Verifiable statements (docs/files.md "Statement"): for one card, friend and currency over a
 *  period, the CSV of settled payments and invoices, each line backed by the signed artifact in
 *  the card's history (a receipt or a commit), plus the friend's last signed move token, which
 *  fixes the last balance the friend signed with us. Building is pure: the caller reads the history
 *  and the token from the node (AppClient.queryHistory / queryFriendToken). Browser-safe. */
import { encode, toBase64Url } from '../codec/index.ts';
import { type HistoryEntry, type SignedFriendToken, signedFriendToken } from '../app/index.ts';

export const STATEMENT_VERSION = 1;
/** The most lines one statement holds; a longer period is split by the wallet. */
export const MAX_STATEMENT_LINES = 10_000;

export const CSV_HEADER = 'line,time,kind,id,counterpart,currency,amount,state,artifact';

export type ArtifactKind = 'receipt' | 'commit';

/** One signed artifact, as the bytes the app protocol carries (app `receipt` / `commit` codecs). */
export interface StatementArtifact {
  readonly kind: ArtifactKind;
  readonly bytes: Uint8Array;
}

/** One CSV line. `artifact` is the 1-based index into the statement's artifacts; 0 (an empty
 *  cell) for a fee, which has no signed artifact of its own. */
export interface StatementLine {
  readonly line: number;
  readonly time: number;
  readonly kind: 'payment' | 'invoice' | 'received' | 'fee-paid' | 'fee-earned';
  readonly id: string;
  /** The payment's destination, or for a fee the friend it was paid through / earned from
   *  (base64url key); empty for invoices (the history does not record the buyer). */
  readonly counterpart: string;
  readonly currency: string;
  /** Negative: we paid. Positive: we were paid. */
  readonly amount: bigint;
  readonly state: string;
  readonly artifact: number;
}

export interface Statement {
  readonly version: number;
  /** base64url public keys. */
  readonly card: string;
  readonly friend: string;
  readonly currency: string;
  /** The period: `from` inclusive, `to` exclusive (ms since the epoch). */
  readonly from: number;
  readonly to: number;
  readonly createdAt: number;
  readonly csv: string;
  readonly artifacts: readonly StatementArtifact[];
  /** The friend's last signed move token (app `signedFriendToken` codec), if it has sent one. */
  readonly friendToken: Uint8Array | undefined;
  /** Our balance with the friend in this currency as that token signs it (negated from the
   *  friend's view): what the friend owes us as of the friend's last move. Operations we sent
   *  after it are not in it (the friend signs them with its next token), so it can lag the
   *  report's balance. Absent without a token or without the currency. */
  readonly signedBalance: bigint | undefined;
}

export interface StatementInput {
  readonly card: Uint8Array;
  readonly friend: Uint8Array;
  readonly currency: string;
  readonly from: number;
  readonly to: number;
  readonly createdAt: number;
  /** The card's history rows (any order, any kinds): only settled rows in the currency and period
   *  that carry their artifact become lines. */
  readonly history: readonly HistoryEntry[];
  readonly friendToken: SignedFriendToken | undefined;
}

/** Which rows a statement lists, and the artifact each must carry. */
const FEE_KINDS = new Set(['fee-paid', 'fee-earned']);
export const isFeeKind = (kind: string): boolean => FEE_KINDS.has(kind);

export function artifactKindOf(r: HistoryEntry): ArtifactKind | undefined {
  if (r.kind === 'payment' && r.state === 'success') return 'receipt';
  if (r.kind === 'received' && r.state === 'collected') return 'receipt';
  if (r.kind === 'invoice' && r.state === 'collected') return 'commit';
  return undefined;
}

/** Is the row this friend's business? Fees paid through or earned from the friend; payments,
 *  invoices and received payments with a part through the friend's channel (`via`). Rows written
 *  before the node recorded `via`: payments whose destination is the friend, every invoice. */
function concernsFriend(r: HistoryEntry, friendKey: string): boolean {
  if (isFeeKind(r.kind)) return r.counterpart === friendKey;
  if (r.via.length > 0) return r.via.some((v) => v.friend === friendKey);
  return r.kind === 'payment' ? r.counterpart === friendKey : true;
}

/** Rows that belong to the statement but have no artifact (e.g. written before artifacts were
 *  kept) are returned apart, so the wallet can say so instead of exporting unbacked lines. */
export function buildStatement(input: StatementInput): { statement: Statement; unbacked: readonly HistoryEntry[] } {
  const friendKey = toBase64Url(input.friend);
  const rows = input.history
    .filter((r) => r.currency === input.currency && r.time >= input.from && r.time < input.to)
    .filter((r) => artifactKindOf(r) !== undefined || isFeeKind(r.kind))
    .filter((r) => concernsFriend(r, friendKey))
    .slice()
    .sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const unbacked = rows.filter((r) => r.data.length === 0 && !isFeeKind(r.kind));
  const backed = rows.filter((r) => r.data.length > 0 || isFeeKind(r.kind)).slice(0, MAX_STATEMENT_LINES);
  const artifacts: StatementArtifact[] = [];
  const lines: StatementLine[] = backed.map((r, i) => {
    const kind = artifactKindOf(r);
    if (kind !== undefined) artifacts.push({ kind, bytes: r.data });
    return {
      line: i + 1, time: r.time, kind: r.kind as StatementLine['kind'], id: r.id,
      counterpart: r.kind === 'payment' || isFeeKind(r.kind) ? r.counterpart ?? '' : '',
      currency: r.currency, amount: r.amount, state: r.state, artifact: kind === undefined ? 0 : artifacts.length,
    };
  });
  const balance = input.friendToken?.tokenInfo.balances.find((b) => b.currency === input.currency)?.balance;
  const statement: Statement = {
    version: STATEMENT_VERSION, card: toBase64Url(input.card), friend: friendKey, currency: input.currency,
    from: input.from, to: input.to, createdAt: input.createdAt, csv: formatCsv(lines), artifacts,
    friendToken: input.friendToken === undefined ? undefined : encode(signedFriendToken, input.friendToken),
    signedBalance: balance === undefined ? undefined : -balance,
  };
  return { statement, unbacked };
}

/** RFC 4180 quoting where needed (ids and keys never need it; currencies might). */
function cell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatCsvLine(l: StatementLine): string {
  return [
    String(l.line), new Date(l.time).toISOString(), l.kind, cell(l.id), cell(l.counterpart), cell(l.currency),
    l.amount.toString(), cell(l.state), l.artifact === 0 ? '' : String(l.artifact),
  ].join(',');
}

export function formatCsv(lines: readonly StatementLine[]): string {
  return `${[CSV_HEADER, ...lines.map(formatCsvLine)].join('\n')}\n`;
}
