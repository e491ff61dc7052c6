/** Amounts typed by a person: an exact decimal string to an integer number of smallest units.
 *  Strict (STYLE §6): digits with at most `decimals` fraction digits; no signs, exponents,
 *  group separators or anything else; never floating point. Bounded to u128. */

export type AmountError =
  | { readonly kind: 'empty' }
  | { readonly kind: 'sign' }
  | { readonly kind: 'not-a-number' }
  | { readonly kind: 'too-many-decimals'; readonly decimals: number }
  | { readonly kind: 'too-large' };

export type AmountResult = { readonly ok: true; readonly value: bigint } | { readonly ok: false; readonly error: AmountError };

const U128_MAX = (1n << 128n) - 1n;
const SHAPE = /^(?:([0-9]+)(?:\.([0-9]*))?|\.([0-9]+))$/;

export function parseAmount(text: string, decimals: number): AmountResult {
  if (!Number.isSafeInteger(decimals) || decimals < 0 || decimals > 40) throw new RangeError(`decimals out of range: ${decimals}`);
  const t = text.trim();
  if (t === '') return { ok: false, error: { kind: 'empty' } };
  if (/^[+\-\u2212]/.test(t)) return { ok: false, error: { kind: 'sign' } };
  if (t.length > 200) return { ok: false, error: { kind: 'too-large' } };
  const m = SHAPE.exec(t);
  if (m === null) return { ok: false, error: { kind: 'not-a-number' } };
  const whole = m[1] ?? '0';
  const fraction = m[2] ?? m[3] ?? '';
  if (fraction.length > decimals) return { ok: false, error: { kind: 'too-many-decimals', decimals } };
  const value = BigInt(whole + fraction.padEnd(decimals, '0'));
  if (value > U128_MAX) return { ok: false, error: { kind: 'too-large' } };
  return { ok: true, value };
}

/** One sentence saying what is wrong and what to do. */
export function describeAmountError(e: AmountError): string {
  switch (e.kind) {
    case 'empty':
      return 'Enter an amount.';
    case 'sign':
      return 'Enter the amount without a sign.';
    case 'not-a-number':
      return 'Enter the amount as digits, with a point before any decimals (for example 12.50).';
    case 'too-many-decimals':
      return e.decimals === 0 ? 'This currency has no decimals: enter a whole number.' : `Use at most ${e.decimals} decimals.`;
    case 'too-large':
      return 'This amount is too large.';
  }
}
