/** History as CSV (RFC 4180): CRLF line ends, a header line, every field quoted when it holds a
 *  comma, a double quote, CR or LF (quotes doubled). Amounts are exact integers in the currency's
 *  units, never floating point. Text from people or peers (names) that a spreadsheet would run as
 *  a formula (starting with = + - @ or a tab) gets a leading apostrophe; amounts are left exact. */
import { type HistoryItem, formatTime } from './history-model.ts';

/** `through`: the friends a payment's parts went through, `name=amount` joined by `; `. */

export const CSV_HEADER = ['time', 'kind', 'state', 'currency', 'amount', 'fee', 'counterpart', 'counterpart_key', 'id', 'through'] as const;

export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function textCell(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

export function historyCsv(items: readonly HistoryItem[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const i of items) {
    lines.push([
      formatTime(i.time), i.kind, i.state, textCell(i.currency), i.amount.toString(), i.fee === undefined ? '' : i.fee.toString(),
      textCell(i.counterpart), i.counterpartKey ?? '', i.id, textCell(i.through.map((x) => `${x.name}=${x.amount.toString()}`).join('; ')),
    ].map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Reads back what historyCsv wrote (and any RFC 4180 text): rows of fields. For tests and for
 *  checking a downloaded file. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"' && field === '') { quoted = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 2; continue; }
    field += c; i++;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}
