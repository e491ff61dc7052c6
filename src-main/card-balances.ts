/** A card's balances as the cards list shows them: per currency, the sum over its friends of
 *  what each friend owes the card (negative: what the card owes). Sorted by currency. */
import { type NodeReport, closestToLimit } from '../src-core/app/index.ts';
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

/** What the cards list shows of a card's node, for every card, open or not: its balances, how
 *  many of its friends' channels are inconsistent (each frozen until someone resets it), and how
 *  close its nearest debt is to its limit. */
export interface CardSummary {
  readonly balances: readonly CardBalance[];
  readonly needsReset: number;
  readonly closestToLimit: number;
}

export const EMPTY_SUMMARY: CardSummary = { balances: [], needsReset: 0, closestToLimit: 0 };

export function cardSummary(report: NodeReport): CardSummary {
  return {
    balances: cardBalances(report),
    needsReset: report.friends.filter((f) => f.channel.kind === 'inconsistent').length,
    closestToLimit: closestToLimit(report),
  };
}

export function sameSummary(a: CardSummary, b: CardSummary): boolean {
  return a.needsReset === b.needsReset && a.closestToLimit === b.closestToLimit && sameBalances(a.balances, b.balances);
}
