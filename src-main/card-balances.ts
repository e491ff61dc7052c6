/** A card's balances as the cards list shows them: per currency, the sum over its friends of
 *  what each friend owes the card (negative: what the card owes). Sorted by currency. */
import type { NodeReport } from '../src-core/app/index.ts';
import type { CardBalance } from './bridge.ts';

export function cardBalances(report: NodeReport): CardBalance[] {
  const sums = new Map<string, bigint>();
  for (const f of report.friends) {
    for (const c of f.currencies) sums.set(c.currency, (sums.get(c.currency) ?? 0n) + c.balance);
  }
  return [...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([currency, balance]) => ({ currency, balance }));
}

export function sameBalances(a: readonly CardBalance[], b: readonly CardBalance[]): boolean {
  return a.length === b.length && a.every((x, i) => x.currency === b[i]?.currency && x.balance === b[i]?.balance);
}
