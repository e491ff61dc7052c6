/** Fee caps per card and currency (issue 11 item 4), pure: reading what a person types and
 *  checking a quote's fee against the cap. The host keeps the caps (`feeCaps.*`, card-prefs.ts);
 *  no cap by default. docs/wallet.md "Fee caps". */
import type { FeeCap, Result } from '../../src-main/bridge.ts';
import { currencyDecimals, formatMoney } from '../format-amount.ts';
import { describeAmountError, parseAmount } from '../parse-amount.ts';

export function feeCapOf(caps: readonly FeeCap[] | undefined, currency: string): bigint | undefined {
  return caps?.find((c) => c.currency === currency)?.cap;
}

/** Empty text: no cap (null). Otherwise an amount in the currency (0 allowed: free routes only). */
export function parseFeeCap(text: string, currency: string): Result<bigint | null, string> {
  if (text.trim() === '') return { ok: true, value: null };
  const a = parseAmount(text.trim(), currencyDecimals(currency));
  return a.ok ? a : { ok: false, error: `The fee cap: ${describeAmountError(a.error)}` };
}

/** undefined: the fee is within the cap (or there is none); otherwise why it cannot be paid. */
export function feeAboveCap(fee: bigint, cap: bigint | undefined, currency: string): string | undefined {
  if (cap === undefined || fee <= cap) return undefined;
  return `The fee ${formatMoney(fee, currency)} is above this card's fee cap of ${formatMoney(cap, currency)}: it cannot be paid. Raise the cap (Settings) or try later, when a cheaper route may be found.`;
}
