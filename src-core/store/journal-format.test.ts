import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.ts';
import { isStoreError } from './errors.ts';
import type { HistoryRow } from './history.ts';
import { FRAME_HEADER_SIZE, JOURNAL_HEADER_SIZE, type JournalEvent, encodeFrame, encodeJournalHeader, parseJournal } from './journal-format.ts';

const dbId = new Uint8Array(16).fill(7);
const row = (id: string, amount: bigint): HistoryRow => ({
  id, kind: 'payment', time: 1_700_000_000_000, currency: 'FST', amount, counterpart: 'bob', state: 'success', data: Uint8Array.of(1, 2, 3),
});
const ev = (n: number): JournalEvent => ({ records: [Uint8Array.of(n), new Uint8Array(200).fill(n)], history: n % 2 === 0 ? [row(`p${n}`, BigInt(n) * 10n ** 30n)] : [] });

function journal(...frames: JournalEvent[][]): Uint8Array {
  const parts = [encodeJournalHeader(dbId, 5), ...frames.map((f) => encodeFrame(f))];
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function code(f: () => unknown): string | undefined {
  try { f(); return undefined; } catch (e) { return isStoreError(e) ? e.code : `other: ${String(e)}`; }
}

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});

describe('parseJournal', () => {
  it('returns the header and every event of every frame, in order', () => {
    const j = parseJournal(journal([ev(0), ev(1)], [ev(2)]), 'j');
    expect(j.generation).toBe(5);
    expect(j.dbId).toEqual(dbId);
    expect(j.tornBytes).toBe(0);
    expect(j.events).toEqual([ev(0), ev(1), ev(2)]);
    expect(j.events[0]?.history[0]?.amount).toBe(0n);
    expect(j.events[2]?.history[0]?.amount).toBe(2n * 10n ** 30n);
  });

  it('drops a last frame torn at any byte and keeps everything before it', () => {
    const whole = journal([ev(0)], [ev(1), ev(2)], [ev(4)]);
    const lastStart = journal([ev(0)], [ev(1), ev(2)]).length;
    for (let n = lastStart; n < whole.length; n++) {
      const j = parseJournal(whole.subarray(0, n), 'j');
      expect(j.events).toEqual([ev(0), ev(1), ev(2)]);
      expect(j.validEnd).toBe(lastStart);
      expect(j.tornBytes).toBe(n - lastStart);
    }
  });

  it('treats a zero-filled tail (a file extended by a crashed write) as torn', () => {
    const good = journal([ev(0)]);
    const j = parseJournal(Uint8Array.from([...good, ...new Uint8Array(100)]), 'j');
    expect(j.events).toEqual([ev(0)]);
    expect(j.tornBytes).toBe(100);
  });

  it('treats a complete last frame with a bad checksum as torn', () => {
    const b = journal([ev(0)], [ev(1)]);
    b[b.length - 1] = (b[b.length - 1] as number) ^ 0xff;
    const j = parseJournal(b, 'j');
    expect(j.events).toEqual([ev(0)]);
    expect(j.tornBytes).toBeGreaterThan(0);
  });

  it.each([
    ['payload byte', (first: number) => first + FRAME_HEADER_SIZE + 5],
    ['length field', (first: number) => first + 1],
    ['payload checksum field', (first: number) => first + 5],
    ['header checksum field', (first: number) => first + 9],
  ])('rejects a damaged %s in a frame that is not the last as corruption', (_name, at) => {
    const b = journal([ev(0)], [ev(1)], [ev(2)]);
    const second = journal([ev(0)]).length;
    b[at(second)] = (b[at(second)] as number) ^ 0x40;
    expect(code(() => parseJournal(b, 'j'))).toBe('journal-corrupt');
  });

  it.each([
    ['empty file', new Uint8Array(0)],
    ['short header', encodeJournalHeader(dbId, 1).subarray(0, 20)],
    ['bad magic', Uint8Array.from(encodeJournalHeader(dbId, 1), (x, i) => (i === 0 ? x ^ 1 : x))],
    ['bad header checksum', Uint8Array.from(encodeJournalHeader(dbId, 1), (x, i) => (i === 20 ? x ^ 1 : x))],
  ])('rejects a journal with a %s', (_name, bytes) => {
    expect(code(() => parseJournal(bytes, 'j'))).toBe('journal-corrupt');
  });

  it('rejects a frame whose checksums hold but whose payload does not decode', () => {
    const payload = Uint8Array.of(0, 0, 0, 1, 9); // one event, then truncated
    const frame = new Uint8Array(FRAME_HEADER_SIZE + payload.length);
    const dv = new DataView(frame.buffer);
    dv.setUint32(0, payload.length);
    dv.setUint32(4, crc32(payload));
    dv.setUint32(8, crc32(frame, 0, 8));
    frame.set(payload, FRAME_HEADER_SIZE);
    const b = Uint8Array.from([...encodeJournalHeader(dbId, 1), ...frame]);
    expect(code(() => parseJournal(b, 'j'))).toBe('journal-corrupt');
  });

  it('has a fixed header size', () => {
    expect(encodeJournalHeader(dbId, 1).length).toBe(JOURNAL_HEADER_SIZE);
  });
});
