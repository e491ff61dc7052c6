/** A message shaped like the protocol's (a tagged union of operations inside an envelope), shared
 *  by the codec tests: every combinator appears in it. */
import { bool, bytes, fixedBytes, i128, list, option, struct, u128, u64, u8, union, unit, utf8 } from './index.ts';

export const payment = union({
  request: [1, struct({ requestId: fixedBytes(16), route: list(fixedBytes(32), { max: 8 }), amount: u128 })],
  cancel: [2, struct({ requestId: fixedBytes(16) })],
  note: [3, struct({ text: utf8({ maxBytes: 40 }), urgent: bool })],
  ping: [4, unit],
});

export const envelope = struct({
  version: u8, balance: i128, sequence: u64, ops: list(payment, { max: 5 }), memo: option(bytes({ max: 20 })),
});
