/** Where a balance sits between −LMD (the most we may owe) and +RMD (the most the friend may
 *  owe us), as fractions 0..1 of the bar's width. Pure, exact bigint arithmetic until the end. */
export interface DebtBar {
  /** Position of zero. */
  readonly zero: number;
  /** Position of the balance. */
  readonly balance: number;
  /** Pending debts as extents from the balance: ours leftwards, the friend's rightwards. */
  readonly localPendingTo: number;
  readonly remotePendingTo: number;
}

export function debtBar(balance: bigint, localMaxDebt: bigint, remoteMaxDebt: bigint, localPending: bigint, remotePending: bigint): DebtBar {
  const lo = -localMaxDebt < balance - localPending ? -localMaxDebt : balance - localPending;
  const hi = remoteMaxDebt > balance + remotePending ? remoteMaxDebt : balance + remotePending;
  const span = hi - lo;
  const at = (v: bigint): number => (span === 0n ? 0.5 : Number(((v - lo) * 10_000n) / span) / 10_000);
  return { zero: at(0n), balance: at(balance), localPendingTo: at(balance - localPending), remotePendingTo: at(balance + remotePending) };
}
