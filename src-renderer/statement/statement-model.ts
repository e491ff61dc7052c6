/** The Statement tab's pure parts: the period a person picks (UTC calendar days), the file name,
 *  and what each checked line shows. Verification itself is src-core/statement's, the same code
 *  `stverify statement` runs. */
import type { Result } from '../../src-core/codec/index.ts';
import type { LineCheck, StatementCheck } from '../../src-core/statement/index.ts';

const DAY = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** YYYY-MM-DD of a time, in UTC. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The first day of `now`'s month and `now`'s day (UTC): the default period. */
export function defaultPeriod(now: number): { from: string; to: string } {
  const d = new Date(now);
  return { from: isoDay(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)), to: isoDay(now) };
}

function day(text: string, what: string): Result<number, string> {
  const m = DATE.exec(text.trim());
  if (m === null) return { ok: false, error: `${what}: a date like 2026-11-01 is needed.` };
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (isoDay(ms) !== text.trim()) return { ok: false, error: `${what}: ${text.trim()} is not a day of the calendar.` };
  return { ok: true, value: ms };
}

/** Both days inclusive, in UTC: [from 00:00, the day after `to` 00:00). */
export function parsePeriod(fromText: string, toText: string): Result<{ from: number; to: number }, string> {
  const from = day(fromText, 'From');
  if (!from.ok) return from;
  const to = day(toText, 'To');
  if (!to.ok) return to;
  if (to.value < from.value) return { ok: false, error: 'The period ends before it starts.' };
  return { ok: true, value: { from: from.value, to: to.value + DAY } };
}

const safe = (s: string): string => s.replace(/[^A-Za-z0-9 ._-]+/g, '_').trim() || 'card';

export function statementFileName(card: string, friend: string, currency: string, from: number, to: number): string {
  return `${safe(card)} - ${safe(friend)} ${safe(currency)} ${isoDay(from)} to ${isoDay(to - DAY)}.statement`;
}

/** What the Check column says for one line. */
export function lineVerdict(l: LineCheck): string {
  if (!l.ok) return `FAILED: ${l.reason}`;
  return l.signed ? 'verified' : 'consistent (a fee: unsigned)';
}

/** One sentence for the whole statement. */
export function statementVerdict(c: StatementCheck): string {
  const signed = c.lines.filter((l) => l.signed).length;
  const fees = c.lines.length - signed;
  if (c.ok && fees === 0) return `Verified: all ${c.lines.length} ${c.lines.length === 1 ? 'line is' : 'lines are'} backed by valid signatures${c.balance?.ok === true ? ', and the balance is signed by the friend' : ''}.`;
  if (c.ok) return `Verified: ${signed} ${signed === 1 ? 'line is' : 'lines are'} backed by valid signatures, ${fees} ${fees === 1 ? 'fee is' : 'fees are'} consistent${c.balance?.ok === true ? ', and the balance is signed by the friend' : ''}.`;
  const bad = c.lines.filter((l) => !l.ok).length;
  const parts = [
    ...(bad > 0 ? [`${bad} of ${c.lines.length} lines failed`] : []),
    ...(c.balance?.ok === false ? ['the balance does not check'] : []),
    ...c.problems,
  ];
  return `Not valid: ${parts.join('; ')}.`;
}
