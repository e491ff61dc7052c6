import { describe, expect, it } from 'vitest';
import type { StatementCheck } from '../../src-core/statement/index.ts';
import { defaultPeriod, lineVerdict, parsePeriod, statementFileName, statementVerdict } from './statement-model.ts';

const DAY = 86_400_000;

describe('the statement period', () => {
  it('defaults to the first of the month up to today (UTC)', () => {
    expect(defaultPeriod(Date.UTC(2026, 10, 23, 19, 5))).toEqual({ from: '2026-11-01', to: '2026-11-23' });
  });

  it('takes both days inclusive: to is the next midnight', () => {
    expect(parsePeriod('2026-11-01', '2026-11-23')).toEqual({ ok: true, value: { from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 10, 23) + DAY } });
    expect(parsePeriod(' 2026-11-05 ', '2026-11-05')).toEqual({ ok: true, value: { from: Date.UTC(2026, 10, 5), to: Date.UTC(2026, 10, 6) } });
  });

  it('refuses days that are not dates, or a period that ends before it starts', () => {
    expect(parsePeriod('', '2026-11-01')).toEqual({ ok: false, error: 'From: a date like 2026-11-01 is needed.' });
    expect(parsePeriod('2026-02-30', '2026-03-01')).toEqual({ ok: false, error: 'From: 2026-02-30 is not a day of the calendar.' });
    expect(parsePeriod('2026-11-02', '2026-11-01')).toEqual({ ok: false, error: 'The period ends before it starts.' });
  });

  it('names the file after card, friend, currency and the days', () => {
    expect(statementFileName('My card', 'Bob/2', 'FST', Date.UTC(2026, 10, 1), Date.UTC(2026, 10, 24))).toBe('My card - Bob_2 FST 2026-11-01 to 2026-11-23.statement');
  });
});

describe('what the tab says', () => {
  const line = (ok: boolean, reason: string, signed = ok) => ({ line: 1, text: '', parsed: undefined, ok, signed, reason });
  it('says verified, or FAILED with the reason', () => {
    expect(lineVerdict(line(true, 'receipt signed by the seller'))).toBe('verified');
    expect(lineVerdict(line(false, 'the receipt is for 12, the line says 2'))).toBe('FAILED: the receipt is for 12, the line says 2');
    expect(lineVerdict(line(true, 'a fee', false))).toBe('consistent (a fee: unsigned)');
  });

  it('sums up the statement', () => {
    const ok: StatementCheck = { ok: true, problems: [], lines: [line(true, ''), line(true, '')], balance: { ok: true, reason: '' } };
    expect(statementVerdict(ok)).toBe('Verified: all 2 lines are backed by valid signatures, and the balance is signed by the friend.');
    const withFee: StatementCheck = { ok: true, problems: [], lines: [line(true, ''), line(true, '', false)], balance: undefined };
    expect(statementVerdict(withFee)).toBe('Verified: 1 line is backed by valid signatures, 1 fee is consistent.');
    const bad: StatementCheck = { ok: false, problems: ['artifact 3 backs no line'], lines: [line(false, 'x'), line(true, '')], balance: { ok: false, reason: 'y' } };
    expect(statementVerdict(bad)).toBe('Not valid: 1 of 2 lines failed; the balance does not check; artifact 3 backs no line.');
  });
});
