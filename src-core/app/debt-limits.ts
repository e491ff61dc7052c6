/** How close a friendship's debts are to their limits, from the report (the letters are the
 *  `info friends` table's): what we owe, counting credits frozen in our requests (−B + LPD),
 *  against the friend's limit for us (LMD); what the friend owes (B + RPD) against ours (RMD).
 *  Shared by the wallet's alerts and exposure (renderer) and the cards list summary (host). */
import type { FriendCurrencyReport, NodeReport } from './node-report.ts';

export interface DebtSide {
  /** `we-owe`: our debt against the friend's limit for us; `friend-owes`: against ours. */
  readonly side: 'we-owe' | 'friend-owes';
  readonly debt: bigint;
  readonly limit: bigint;
}

export function debtSides(c: FriendCurrencyReport): readonly [DebtSide, DebtSide] {
  return [
    { side: 'we-owe', debt: c.localPendingDebt - c.balance, limit: c.localMaxDebt },
    { side: 'friend-owes', debt: c.balance + c.remotePendingDebt, limit: c.remoteMaxDebt },
  ];
}

/** Whole percent of `limit` that `debt` reaches, capped at 1000; 0 for no debt, 100 for a debt
 *  against a zero limit. */
export function percentOfLimit(debt: bigint, limit: bigint): number {
  if (debt <= 0n) return 0;
  if (limit <= 0n) return 100;
  const p = (debt * 100n) / limit;
  return p > 1000n ? 1000 : Number(p);
}

/** A debt that an alert reports: there is one, and a limit to measure it against (a zero limit
 *  reads 0 until the friend has told us its limit, so it never alerts). */
export function measurable(s: DebtSide): boolean {
  return s.debt > 0n && s.limit > 0n;
}

/** The highest percent of its limit any measurable debt of the card reaches (0: none). */
export function closestToLimit(report: NodeReport): number {
  let most = 0;
  for (const f of report.friends) {
    for (const c of f.currencies) {
      for (const s of debtSides(c)) if (measurable(s)) most = Math.max(most, percentOfLimit(s.debt, s.limit));
    }
  }
  return most;
}
