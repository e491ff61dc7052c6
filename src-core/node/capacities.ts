/** What the node reports to its index server (docs/index-server.md "FriendCapacity"): for every
 *  enabled, online, consistent friend and every currency with a mutual credit, how much the
 *  friend can still push to us (recvCapacity, from the limit we grant) and our rate for the
 *  friend's requests. sendCapacity is unbounded by our own view: the friend's own report bounds
 *  the edge (the graph takes the minimum of both sides). Pure. */
import type { Rate } from '../proto/index.ts';
import { type FunderState, receiveCapacity } from '../funder/index.ts';

const U128_MAX = (1n << 128n) - 1n;

export interface Capacity {
  readonly friend: Uint8Array;
  readonly currency: string;
  readonly sendCapacity: bigint;
  readonly recvCapacity: bigint;
  readonly rate: Rate;
}

/** Keyed `friendHex/currency`. */
export function capacities(state: FunderState): Map<string, Capacity> {
  const out = new Map<string, Capacity>();
  for (const [k, f] of state.friends) {
    if (!f.enabled || !state.online.has(k) || f.channel.kind !== 'consistent') continue;
    for (const [currency, mc] of f.channel.tc.mutualCredits) {
      const cfg = f.currencyConfigs.get(currency);
      if (cfg === undefined) continue;
      out.set(`${k}/${currency}`, {
        friend: f.remotePublicKey, currency, sendCapacity: U128_MAX,
        recvCapacity: receiveCapacity(mc, cfg.remoteMaxDebt, cfg.isOpen), rate: cfg.rate,
      });
    }
  }
  return out;
}
