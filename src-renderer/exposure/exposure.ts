/** Credit exposure of one card (issue 11 item 2), from the node's report. Pure, bigint only.
 *
 *  Per friend and currency: the balance against both limits, the credits frozen in pending
 *  requests in both directions, and the room left to pay and to be paid through that friend,
 *  with the protocol's own rules (reference/funder.md §3.4):
 *  - the friend accepts our request of `freeze` iff `-balance + LPD + freeze ≤ LMD`, so we can
 *    still pay `LMD + balance − LPD` through it;
 *  - we accept the friend's request iff `balance + RPD + freeze ≤ RMD`, so we can still be paid
 *    `RMD − balance − RPD` through it.
 *  Per currency: the card's total exposure = what friends owe us (positive balances) + the
 *  credits we have frozen in requests we sent (LPD): what the card could lose if every friend
 *  defaulted (a pending request of ours may still become a debt of ours). docs/wallet.md. */
import { compareCurrencies, type FriendCurrencyReport, hexOf, type NodeReport } from '../../src-core/app/index.ts';

export type Rate = FriendCurrencyReport['rate'];

/** The report's figures for one friend and currency (their meaning: FriendCurrencyReport), and
 *  what they expose. */
export interface FriendExposure extends Pick<FriendCurrencyReport,
  'currency' | 'balance' | 'localMaxDebt' | 'remoteMaxDebt' | 'localPendingDebt' | 'remotePendingDebt' | 'rate' | 'remoteRequestsOpen'> {
  /** Hex of the friend's public key: a stable key for lists and alerts. */
  readonly friendKey: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly online: boolean;
  readonly inconsistent: boolean;
  /** What we could lose if this friend defaulted: max(balance, 0) + LPD. */
  readonly atRisk: bigint;
  /** What we can still pay through this friend: max(0, LMD + balance − LPD). */
  readonly canPay: bigint;
  /** What we can still be paid through this friend: max(0, RMD − balance − RPD). */
  readonly canReceive: bigint;
}

export interface CurrencyExposure {
  readonly currency: string;
  readonly friends: readonly FriendExposure[];
  /** Sum of positive balances: what friends owe us. */
  readonly owedToUs: bigint;
  /** Sum of negative balances, as a positive number: what we owe friends. */
  readonly owedByUs: bigint;
  /** Sum of LPD: frozen in requests we sent. */
  readonly frozenOut: bigint;
  /** Sum of RPD: frozen in requests friends sent us. */
  readonly frozenIn: bigint;
  /** owedToUs + frozenOut: what the card could lose if every friend defaulted. */
  readonly totalExposure: bigint;
  /** Sum of canPay: the most the card could pay now (all friends together). */
  readonly capacityToPay: bigint;
  /** Sum of canReceive: the most the card could be paid now. */
  readonly capacityToReceive: bigint;
}

const pos = (v: bigint): bigint => (v > 0n ? v : 0n);

/** Every currency any friend has, sorted like the node sorts them; friends in report order. */
export function cardExposure(report: NodeReport): readonly CurrencyExposure[] {
  const byCurrency = new Map<string, FriendExposure[]>();
  for (const f of report.friends) {
    const friendKey = hexOf(f.publicKey);
    for (const c of f.currencies) {
      const row: FriendExposure = {
        friendKey,
        name: f.name,
        enabled: f.enabled,
        online: f.online,
        inconsistent: f.channel.kind === 'inconsistent',
        currency: c.currency,
        balance: c.balance,
        localMaxDebt: c.localMaxDebt,
        remoteMaxDebt: c.remoteMaxDebt,
        localPendingDebt: c.localPendingDebt,
        remotePendingDebt: c.remotePendingDebt,
        rate: c.rate,
        remoteRequestsOpen: c.remoteRequestsOpen,
        atRisk: pos(c.balance) + c.localPendingDebt,
        canPay: pos(c.localMaxDebt + c.balance - c.localPendingDebt),
        canReceive: pos(c.remoteMaxDebt - c.balance - c.remotePendingDebt),
      };
      const list = byCurrency.get(c.currency);
      if (list === undefined) byCurrency.set(c.currency, [row]);
      else list.push(row);
    }
  }
  return [...byCurrency.entries()]
    .sort(([a], [b]) => compareCurrencies(a, b))
    .map(([currency, friends]) => {
      const sum = (f: (r: FriendExposure) => bigint): bigint => friends.reduce((s, r) => s + f(r), 0n);
      const owedToUs = sum((r) => pos(r.balance));
      const frozenOut = sum((r) => r.localPendingDebt);
      return {
        currency,
        friends,
        owedToUs,
        owedByUs: sum((r) => pos(-r.balance)),
        frozenOut,
        frozenIn: sum((r) => r.remotePendingDebt),
        totalExposure: owedToUs + frozenOut,
        capacityToPay: sum((r) => r.canPay),
        capacityToReceive: sum((r) => r.canReceive),
      };
    });
}

/** A fee rate {mul, add} (fee(x) = floor(x·mul / 2^32) + add) in words: "0.5 % + 1" with the
 *  percentage exact to 4 decimals (rounded down), "free" when both are zero. */
export function describeRate(rate: Rate): string {
  if (rate.mul === 0 && rate.add === 0) return 'free';
  const parts: string[] = [];
  if (rate.mul !== 0) {
    const tenThousandths = (BigInt(rate.mul) * 1_000_000n) >> 32n; // percent × 10^4
    const whole = tenThousandths / 10_000n;
    const frac = (tenThousandths % 10_000n).toString().padStart(4, '0').replace(/0+$/, '');
    parts.push(`${whole}${frac === '' ? '' : `.${frac}`} %`);
  }
  if (rate.add !== 0) parts.push(`${rate.add}`);
  return parts.join(' + ');
}

