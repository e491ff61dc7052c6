/** Messages inside the encrypted channel. Data is `0x00 ‖ payload` (no length: the frame bounds
 *  it); control messages are the codec union below (tags 1–4); a batch (tag 5) carries several
 *  of either, each length-prefixed. */
import { fixedBytes, struct, union } from '../codec/index.ts';

export const DATA_TAG = 0;
/** `0x05 ‖ (u32 BE length ‖ record)*`: several data/control records sealed in one frame. */
export const BATCH_TAG = 5;

export const controlMessage = union({
  keepalive: [1, struct({})],
  /** Starts a rekey: the sender's fresh X25519 key and salt. */
  rekeyInit: [2, struct({ dhPublicKey: fixedBytes(32), salt: fixedBytes(32) })],
  /** Answers a rekeyInit; every later frame from the sender uses the new key. */
  rekeyAck: [3, struct({ dhPublicKey: fixedBytes(32), salt: fixedBytes(32) })],
  /** The initiator's last frame under the old key. */
  rekeyDone: [4, struct({})],
});
export type ControlMessage = ReturnType<typeof controlMessage.decode>;

/** Builds a batch plaintext from records (each a data or control plaintext). */
export function encodeBatch(records: readonly Uint8Array[]): Uint8Array {
  let n = 1;
  for (const r of records) n += 4 + r.length;
  const pt = new Uint8Array(n);
  pt[0] = BATCH_TAG;
  const view = new DataView(pt.buffer);
  let off = 1;
  for (const r of records) {
    view.setUint32(off, r.length);
    pt.set(r, off + 4);
    off += 4 + r.length;
  }
  return pt;
}

/** Splits a batch plaintext into its records, or says why it is malformed
 *  (empty, truncated, a zero-length or nested record). */
export function parseBatch(pt: Uint8Array): { records: Uint8Array[] } | { error: string } {
  if (pt[0] !== BATCH_TAG) return { error: 'not a batch' };
  if (pt.length === 1) return { error: 'empty batch' };
  const view = new DataView(pt.buffer, pt.byteOffset, pt.length);
  const records: Uint8Array[] = [];
  let off = 1;
  while (off < pt.length) {
    if (off + 4 > pt.length) return { error: 'truncated batch' };
    const n = view.getUint32(off);
    if (n === 0 || off + 4 + n > pt.length) return { error: 'bad record length in batch' };
    const record = pt.subarray(off + 4, off + 4 + n);
    if (record[0] === BATCH_TAG) return { error: 'nested batch' };
    records.push(record);
    off += 4 + n;
  }
  return { records };
}
