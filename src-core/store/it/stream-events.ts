/** The numbered events store-child.ts streams, and their decoding for the checks. */
import type { HistoryRow } from '../index.ts';

/** A funder-sized record: the event number, then 196 bytes derived from it. */
export function eventRecord(n: number): Uint8Array {
  const b = new Uint8Array(200).fill(n & 0xff);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

export function eventNumber(r: Uint8Array): number {
  const n = new DataView(r.buffer, r.byteOffset, r.byteLength).getUint32(0);
  if (r.length !== 200 || r.some((x, i) => i >= 4 && x !== (n & 0xff))) throw new Error(`record ${n} is damaged`);
  return n;
}

export function eventRow(n: number): HistoryRow {
  return { id: `event-${n}`, kind: 'payment', time: n, currency: 'FST', amount: BigInt(n) * 10n ** 20n, state: 'success', data: Uint8Array.of(n & 0xff) };
}
