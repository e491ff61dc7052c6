/** Whether paying `amount` (smallest units, fees included) in `currency` needs the wallet
 *  password first: above the currency's own threshold, or, for a currency without one, above the
 *  threshold for other currencies (null: never). Pure. docs/wallet.md "Safety habits". */
import type { SafetySettings } from '../../src-main/bridge.ts';

export function passwordThreshold(currency: string, settings: SafetySettings): bigint | null {
  const own = settings.payPasswordAbove.find((t) => t.currency === currency);
  return own === undefined ? settings.payPasswordAboveOther : own.amount;
}

export function needsPassword(amount: bigint, currency: string, settings: SafetySettings | undefined): boolean {
  // settings not loaded yet (or the host did not answer): ask, rather than let a large payment through
  if (settings === undefined) return true;
  const t = passwordThreshold(currency, settings);
  return t !== null && amount > t;
}
