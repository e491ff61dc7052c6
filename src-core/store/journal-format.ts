/** The journal file: everything appended since the last checkpoint, framed so a crash mid-write
 *  is told apart from corruption (docs/store.md §Journal).
 *
 *    header  = magic "OFJRNL02" (8) | db id (16) | generation u64 (8) | crc32 of the previous 32 (4)
 *    frame   = length u32 | crc32(payload) u32 | crc32(the previous 8 bytes) u32 | payload
 *    payload = list of events; event = { records: list of bytes, history: list of history rows }
 *
 *  One group commit writes exactly one frame, so a crash tears at most the last frame. A journal
 *  with magic "OFJRNL01" (written before schema version 2: history rows without `via`) is still
 *  read; new journals are always OFJRNL02. */
import { DecodeError, Reader, Writer, bytes, decodeExact, encode, list, struct } from '../codec/index.ts';
import { crc32 } from './crc32.ts';
import { StoreError } from './errors.ts';
import { type HistoryRow, historyRowsCodec, historyRowsCodecV1 } from './history.ts';

export const JOURNAL_MAGIC = new TextEncoder().encode('OFJRNL02');
/** The magic of journals written before schema version 2, read with the old row format. */
export const JOURNAL_MAGIC_V1 = new TextEncoder().encode('OFJRNL01');
export const JOURNAL_HEADER_SIZE = 36;
export const FRAME_HEADER_SIZE = 12;
export const MAX_FRAME_PAYLOAD = 512 * 1024 * 1024;
export const MAX_RECORD_SIZE = 64 * 1024 * 1024;

export interface JournalEvent {
  readonly records: readonly Uint8Array[];
  readonly history: readonly HistoryRow[];
}

const recordsCodec = list(bytes({ max: MAX_RECORD_SIZE }), { max: 1_000_000 });
const payloadCodec = list(struct({ records: recordsCodec, history: historyRowsCodec }), { max: 1_000_000 });
const payloadCodecV1 = list(struct({ records: recordsCodec, history: historyRowsCodecV1 }), { max: 1_000_000 });

export function encodeJournalHeader(dbId: Uint8Array, generation: number): Uint8Array {
  const w = new Writer();
  w.bytes(JOURNAL_MAGIC);
  w.bytes(dbId);
  w.u64(BigInt(generation));
  const head = w.finish();
  const out = new Uint8Array(JOURNAL_HEADER_SIZE);
  out.set(head);
  new DataView(out.buffer).setUint32(32, crc32(head), false);
  return out;
}

export function encodeFrame(events: readonly JournalEvent[]): Uint8Array {
  const payload = encode(payloadCodec, events);
  if (payload.length > MAX_FRAME_PAYLOAD) throw new RangeError(`journal frame too large: ${payload.length} bytes`);
  const out = new Uint8Array(FRAME_HEADER_SIZE + payload.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, payload.length, false);
  dv.setUint32(4, crc32(payload), false);
  dv.setUint32(8, crc32(out, 0, 8), false);
  out.set(payload, FRAME_HEADER_SIZE);
  return out;
}

export interface ParsedJournal {
  readonly dbId: Uint8Array;
  readonly generation: number;
  readonly events: JournalEvent[];
  /** Offset just past the last complete frame. */
  readonly validEnd: number;
  /** Bytes of a torn last frame (a crash mid-write), discarded; 0 when the journal ends cleanly. */
  readonly tornBytes: number;
}

function allZero(b: Uint8Array, from: number): boolean {
  for (let i = from; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

/** Parses a whole journal file. A torn last frame is reported and dropped; a damaged frame with
 *  data after it, a bad header or an undecodable payload is corruption (StoreError). */
export function parseJournal(b: Uint8Array, path: string): ParsedJournal {
  const corrupt = (detail: string): never => {
    throw new StoreError('journal-corrupt', `journal ${path} is damaged: ${detail}; refusing to open (the file is left as it is)`, path);
  };
  if (b.length < JOURNAL_HEADER_SIZE) corrupt(`only ${b.length} bytes, shorter than its header`);
  const is = (magic: Uint8Array): boolean => magic.every((x, i) => b[i] === x);
  const v1 = is(JOURNAL_MAGIC_V1);
  if (!v1 && !is(JOURNAL_MAGIC)) corrupt('not a journal file (bad magic)');
  const codec = v1 ? payloadCodecV1 : payloadCodec;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getUint32(32, false) !== crc32(b, 0, 32)) corrupt('header checksum mismatch');
  const r = new Reader(b.subarray(8, 32));
  const dbId = r.take(16).slice();
  const gen = r.u64();
  if (gen > BigInt(Number.MAX_SAFE_INTEGER)) corrupt('generation out of range');
  const events: JournalEvent[] = [];
  let off = JOURNAL_HEADER_SIZE;
  let tornBytes = 0;
  while (off < b.length) {
    const rem = b.length - off;
    if (rem < FRAME_HEADER_SIZE) { tornBytes = rem; break; }
    const len = dv.getUint32(off, false);
    const pcrc = dv.getUint32(off + 4, false);
    if (dv.getUint32(off + 8, false) !== crc32(b, off, off + 8)) {
      // a file extended by a crashed write may hold zeros where the frame should be
      if (allZero(b, off)) { tornBytes = rem; break; }
      corrupt(`frame header checksum mismatch at offset ${off}`);
    }
    if (len > MAX_FRAME_PAYLOAD) corrupt(`frame at offset ${off} claims ${len} bytes`);
    const end = off + FRAME_HEADER_SIZE + len;
    if (end > b.length) { tornBytes = rem; break; }
    if (crc32(b, off + FRAME_HEADER_SIZE, end) !== pcrc) {
      if (end === b.length) { tornBytes = rem; break; }
      corrupt(`frame checksum mismatch at offset ${off}`);
    }
    const decoded = decodeExact(codec, b.subarray(off + FRAME_HEADER_SIZE, end));
    if (!decoded.ok) corrupt(`frame at offset ${off} does not decode (${describe(decoded.error)})`);
    else for (const e of decoded.value) events.push({ records: e.records.map((x) => x.slice()), history: e.history });
    off = end;
  }
  return { dbId, generation: Number(gen), events, validEnd: off, tornBytes };
}

function describe(e: DecodeError): string {
  return e.message;
}
