/** Amounts for display: an integer number of smallest units (bigint) shown as an exact decimal
 *  string, by string arithmetic only (STYLE §6: never floating point). */

export interface FormatOptions {
  /** Group the whole part in threes with this separator (e.g. ',' or '\u2009'); none by default. */
  readonly group?: string;
  /** Drop trailing zeros of the fraction (and the point when nothing is left). */
  readonly trimZeros?: boolean;
}

export function formatAmount(value: bigint, decimals: number, opts: FormatOptions = {}): string {
  if (!Number.isSafeInteger(decimals) || decimals < 0 || decimals > 40) throw new RangeError(`decimals out of range: ${decimals}`);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, '0');
  let whole = digits.slice(0, digits.length - decimals);
  let fraction = digits.slice(digits.length - decimals);
  if (opts.trimZeros === true) fraction = fraction.replace(/0+$/, '');
  if (opts.group !== undefined && opts.group !== '') whole = whole.replace(/\B(?=(\d{3})+$)/g, opts.group);
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

/** How many decimals a currency's amounts have on screen. The protocol moves whole units and no
 *  file or report says more, so every currency has 0 (docs/wallet.md "Amounts"); all amount
 *  entry and display go through this with parseAmount / formatAmount. */
export function currencyDecimals(_currency: string): number {
  return 0;
}

/** An amount of `currency` for people: exact, grouped, with the currency name. */
export function formatMoney(value: bigint, currency: string): string {
  return `${formatAmount(value, currencyDecimals(currency), { group: ',' })} ${currency}`;
}
