/** Messages inside the encrypted channel. Data is `0x00 ‖ payload` (no length: the frame bounds
 *  it); control messages are the codec union below (tags 1–4). */
import { fixedBytes, struct, union } from '../codec/index.ts';

export const DATA_TAG = 0;

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
