import type { FriendCurrencyReport } from '../../src-core/app/index.ts';
import { debtBar } from '../card/debt-bar.ts';

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

/** The balance between −LMD and +RMD, pending debts shaded beside it. Decorative: the numbers
 *  next to it say the same in text. */
export function DebtBarView({ c }: { readonly c: FriendCurrencyReport }) {
  const b = debtBar(c.balance, c.localMaxDebt, c.remoteMaxDebt, c.localPendingDebt, c.remotePendingDebt);
  const from = Math.min(b.zero, b.balance);
  return (
    <div className="debt-bar" aria-hidden="true">
      <div className="debt-fill" style={{ left: pct(from), width: pct(Math.abs(b.balance - b.zero)) }} />
      <div className="debt-pending" style={{ left: pct(b.localPendingTo), width: pct(b.balance - b.localPendingTo) }} />
      <div className="debt-pending" style={{ left: pct(b.balance), width: pct(b.remotePendingTo - b.balance) }} />
      <div className="debt-zero" style={{ left: pct(b.zero) }} />
    </div>
  );
}
