/** What each friend can still send us, per currency, for the index servers
 *  (reference/funder.md §3.6): only for enabled, online friends with a consistent channel;
 *  0 unless the currency is open; reported with the rate we charge that friend. */
import type { Rate } from '../proto/index.ts';
import { receiveCapacity } from './mutual-credit.ts';
import type { FunderState } from './state.ts';

export interface FriendCapacity {
  readonly friend: Uint8Array;
  readonly currency: string;
  readonly recvCapacity: bigint;
  readonly rate: Rate;
}

export function friendCapacities(state: FunderState): FriendCapacity[] {
  const out: FriendCapacity[] = [];
  for (const [k, f] of state.friends) {
    if (!f.enabled || !state.online.has(k) || f.channel.kind !== 'consistent') continue;
    for (const [currency, mc] of f.channel.tc.mutualCredits) {
      const cfg = f.currencyConfigs.get(currency);
      if (cfg === undefined || !cfg.isOpen) continue;
      out.push({ friend: f.remotePublicKey, currency, recvCapacity: receiveCapacity(mc, cfg.remoteMaxDebt, cfg.isOpen), rate: cfg.rate });
    }
  }
  return out;
}
