/** What the node reports to its index server (docs/index-server.md "FriendCapacity"): for every
 *  enabled, online, consistent friend and every open currency with a mutual credit, the index
 *  folder's own `capacityEntry` over our numbers and what the friend told us it grants us (its
 *  terms; unknown terms leave sendCapacity unbounded, the friend's report bounds the edge). Pure. */
import { capacityEntry } from '../index/index.ts';
import type { Rate } from '../proto/index.ts';
import type { FunderState } from '../funder/index.ts';
import type { PeerTerms } from './report.ts';

export interface Capacity {
  readonly friend: Uint8Array;
  readonly currency: string;
  readonly sendCapacity: bigint;
  readonly recvCapacity: bigint;
  readonly rate: Rate;
}

/** Keyed `friendHex/currency`. */
export function capacities(state: FunderState, terms: PeerTerms = new Map()): Map<string, Capacity> {
  const out = new Map<string, Capacity>();
  for (const [k, f] of state.friends) {
    if (!f.enabled || !state.online.has(k) || f.channel.kind !== 'consistent') continue;
    for (const [currency, mc] of f.channel.tc.mutualCredits) {
      const cfg = f.currencyConfigs.get(currency);
      if (cfg === undefined) continue;
      const t = terms.get(k)?.get(currency);
      const entry = capacityEntry({
        isOpen: cfg.isOpen, rate: cfg.rate, remoteMaxDebt: cfg.remoteMaxDebt, balance: mc.balance,
        localPendingDebt: mc.localPendingDebt, remotePendingDebt: mc.remotePendingDebt,
        localMaxDebt: t?.maxDebt, remoteOpen: t?.isOpen,
      });
      if (entry !== undefined) out.set(`${k}/${currency}`, { friend: f.remotePublicKey, currency, ...entry });
    }
  }
  return out;
}
