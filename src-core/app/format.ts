/** stctrl's text outputs, computed from a NodeReport (pure). Tables follow the tutorial's
 *  layout exactly (seeds/000): `| cell | cell |` rows, each column as wide as its widest line
 *  plus one space each side, no rule lines; a multi-line cell continues on rows whose other
 *  cells are blank. Every output ends with a newline. */
import { toBase64Url } from '../codec/index.ts';
import { DEFAULT_CURRENCY } from './messages.ts';
import { type CurrencyBalance, type FriendCurrencyReport, type FriendReport, type NodeReport, compareCurrencies } from './node-report.ts';
import { bytesEqual } from './wire-common.ts';

/** Names and currencies come from people and peers: control characters would break the table,
 *  and bidirectional overrides would make a row read as something else. */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '?');
}

const width = (s: string): number => [...s].length;

/** Renders rows of cells; a cell may hold several lines separated by '\n'. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const split = (cells: readonly string[]): string[][] => header.map((_, i) => (cells[i] ?? '').split('\n'));
  const all = [split(header), ...rows.map(split)];
  const widths = header.map((_, i) => Math.max(...all.map((r) => Math.max(...(r[i] as string[]).map(width)))));
  const out: string[] = [];
  for (const row of all) {
    const height = Math.max(...row.map((lines) => lines.length));
    for (let l = 0; l < height; l++) {
      const cells = row.map((lines, i) => {
        const text = lines[l] ?? '';
        return text + ' '.repeat((widths[i] as number) - width(text));
      });
      out.push(`| ${cells.join(' | ')} |`);
    }
  }
  return `${out.join('\n')}\n`;
}

const sign = (open: boolean): string => (open ? '+' : '-');
const tagged = (letter: string, currency: string): string =>
  (currency === DEFAULT_CURRENCY ? letter : `${letter}[${printable(currency)}]`);

function currencyLines(c: FriendCurrencyReport): string[] {
  return [
    `${tagged('C', c.currency)}: LR=${sign(c.localRequestsOpen)}, RR=${sign(c.remoteRequestsOpen)}`,
    `B  =${c.balance}`,
    `LMD=${c.localMaxDebt}`,
    `RMD=${c.remoteMaxDebt}`,
    `LPD=${c.localPendingDebt}`,
    `RPD=${c.remotePendingDebt}`,
  ];
}

const sortBalances = (bs: readonly CurrencyBalance[]): CurrencyBalance[] =>
  [...bs].sort((a, b) => compareCurrencies(a.currency, b.currency));

/** The balance cell of `info friends`. Consistent: per currency, `C: LR=…, RR=…` then B, LMD,
 *  RMD, LPD, RPD (the default currency untagged, others as `C[USD]`). Inconsistent: `I:` then
 *  our reset terms `LT=` and the friend's `RT=` (`RT=?` until the friend sent them). */
export function friendBalanceCell(f: FriendReport): string {
  if (f.channel.kind === 'consistent') {
    if (f.currencies.length === 0) return 'C: no currencies';
    return f.currencies.flatMap(currencyLines).join('\n');
  }
  const lines = ['I:'];
  for (const b of sortBalances(f.channel.localResetTerms)) lines.push(`${tagged('LT', b.currency)}=${b.balance}`);
  const remote = f.channel.remoteResetTerms;
  if (remote === undefined) lines.push('RT=?');
  else for (const b of sortBalances(remote.balanceForReset)) lines.push(`${tagged('RT', b.currency)}=${b.balance}`);
  return lines.join('\n');
}

/** `info friends`: `E`/`D` enabled or disabled, `+`/`-` online or offline. */
export function formatFriendsTable(report: NodeReport): string {
  if (report.friends.length === 0) return 'No configured friends.\n';
  return formatTable(['st', 'name', 'balance'], report.friends.map((f) => [
    `${f.enabled ? 'E' : 'D'}${sign(f.online)}`,
    printable(f.name),
    friendBalanceCell(f),
  ]));
}

/** `info relays`. */
export function formatRelays(report: NodeReport): string {
  if (report.relays.length === 0) return 'No configured relay servers.\n';
  return formatTable(['relay name', 'public key', 'address'],
    report.relays.map((r) => [printable(r.name), toBase64Url(r.publicKey), printable(r.address)]));
}

/** `info index`: the connected server is marked ` (*)`. */
export function formatIndexServers(report: NodeReport): string {
  if (report.indexServers.length === 0) return 'No configured index servers.\n';
  return formatTable(['index server name', 'public key', 'address'], report.indexServers.map((s) => [
    printable(s.name) + (bytesEqual(s.publicKey, report.connectedIndexServer) ? ' (*)' : ''),
    toBase64Url(s.publicKey),
    printable(s.address),
  ]));
}

/** Per currency, the sum over friends of what they owe us (an inconsistent channel counts with
 *  our reset terms, as the original did). */
export function totalBalances(report: NodeReport): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  const add = (currency: string, x: bigint): void => { totals.set(currency, (totals.get(currency) ?? 0n) + x); };
  for (const f of report.friends) {
    if (f.channel.kind === 'consistent') for (const c of f.currencies) add(c.currency, c.balance);
    else for (const b of f.channel.localResetTerms) add(b.currency, b.balance);
  }
  return totals;
}

/** `info balance`: one `CURRENCY: total` line per currency, sorted; `FST: 0` with no friends. */
export function formatBalance(report: NodeReport): string {
  const totals = totalBalances(report);
  if (totals.size === 0) totals.set(DEFAULT_CURRENCY, 0n);
  const lines = [...totals.entries()].sort(([a], [b]) => compareCurrencies(a, b)).map(([c, x]) => `${printable(c)}: ${x}`);
  return `${lines.join('\n')}\n`;
}

/** `info invoices`: our open invoices (seller side), with what their payers have sent so far. */
export function formatOpenInvoices(report: NodeReport): string {
  if (report.openInvoices.length === 0) return 'No open invoices.\n';
  return formatTable(['invoice id', 'currency', 'amount', 'paid'], report.openInvoices.map((i) => [
    toBase64Url(i.invoiceId), printable(i.currency), `${i.totalDestPayment}`, `${i.paidDestPayment}`,
  ]));
}

/** `info payments`: our open payments (buyer side); the id is what `buyer payment-status` takes. */
export function formatOpenPayments(report: NodeReport): string {
  if (report.openPayments.length === 0) return 'No open payments.\n';
  return formatTable(['payment id', 'currency', 'amount', 'destination', 'stage'], report.openPayments.map((p) => [
    toBase64Url(p.paymentId), printable(p.currency), `${p.totalDestPayment}`, toBase64Url(p.destPublicKey), p.stage,
  ]));
}

/** `info public-key`: the node's public key as the tutorial passes it to `--dest`. */
export function formatPublicKey(report: NodeReport): string {
  return `${toBase64Url(report.localPublicKey)}\n`;
}

/** After a payment, as the tutorial shows it. */
export function formatPaymentSuccess(fees: bigint): string {
  return `Payment successful!\nFees: ${fees}\n`;
}
