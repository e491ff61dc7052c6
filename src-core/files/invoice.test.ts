import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../codec/index.ts';
import { DEFAULT_CURRENCY, formatInvoice, isInvoiceExpired, parseInvoice } from './invoice.ts';

const id = new Uint8Array(32).fill(6);
const pk = new Uint8Array(32).fill(7);
const invoice = { invoiceId: id, currency: 'FST', destPublicKey: pk, totalDestPayment: 60n };

describe('invoices', () => {
  it('uses FST as the default currency', () => {
    expect(DEFAULT_CURRENCY).toBe('FST');
  });

  it('writes the amount as a decimal string and round-trips, with and without a description', () => {
    const text = formatInvoice(invoice);
    expect(JSON.parse(text)).toEqual({ kind: 'invoice', invoiceId: toBase64Url(id), currency: 'FST', destPublicKey: toBase64Url(pk), totalDestPayment: '60' });
    expect(parseInvoice(text)).toEqual({ ok: true, value: invoice });
    const described = { ...invoice, description: 'a bag of bananas 🍌' };
    expect(parseInvoice(formatInvoice(described))).toEqual({ ok: true, value: described });
  });

  it('writes an expiry as a UTC time and reads it back as seconds', () => {
    const expiring = { ...invoice, expiresAt: 1_795_000_000 };
    const text = formatInvoice(expiring);
    expect(JSON.parse(text).expiresAt).toBe('2026-11-18T11:06:40Z');
    expect(parseInvoice(text)).toEqual({ ok: true, value: expiring });
  });

  it('is expired from its expiry on, and never without one', () => {
    expect(isInvoiceExpired({ expiresAt: 100 }, 99)).toBe(false);
    expect(isInvoiceExpired({ expiresAt: 100 }, 100)).toBe(true);
    expect(isInvoiceExpired({}, Number.MAX_SAFE_INTEGER)).toBe(false);
  });

  it.each([
    ['a number', 1795000000], ['a local time', '2026-11-18T11:06:40'], ['an offset', '2026-11-18T12:06:40+01:00'], ['milliseconds', '2026-11-18T11:06:40.000Z'],
    ['February 30', '2026-02-30T00:00:00Z'], ['hour 24', '2026-11-18T24:00:00Z'],
    ['a date only', '2026-11-18'], ['before 1970', '1969-12-31T23:59:59Z'],
  ])('rejects an expiry given as %s', (_n, expiresAt) => {
    const doc = { invoiceId: toBase64Url(id), currency: 'FST', destPublicKey: toBase64Url(pk), totalDestPayment: '60', expiresAt };
    const r = parseInvoice(JSON.stringify(doc));
    expect(r).toMatchObject({ ok: false, error: { fileKind: 'invoice', field: 'expiresAt' } });
    if (!r.ok) expect(r.error.message).toMatch(/UTC time like/);
  });

  it('keeps amounts beyond 2^53 exact', () => {
    const big = { ...invoice, totalDestPayment: (1n << 128n) - 1n };
    expect(parseInvoice(formatInvoice(big))).toEqual({ ok: true, value: big });
  });

  it("reads the original's snake_case JSON and TOML, whose amount is dest_payment", () => {
    const json = JSON.stringify({ invoice_id: toBase64Url(id), currency: 'FST', dest_public_key: toBase64Url(pk), dest_payment: '60' });
    expect(parseInvoice(json)).toEqual({ ok: true, value: invoice });
    const toml = `invoice_id = "${toBase64Url(id)}"\ncurrency = "FST"\ndest_public_key = "${toBase64Url(pk)}"\ndest_payment = "60"\n`;
    expect(parseInvoice(toml)).toEqual({ ok: true, value: invoice });
  });

  it('rejects an amount given twice under different names', () => {
    const json = JSON.stringify({ invoiceId: toBase64Url(id), currency: 'FST', destPublicKey: toBase64Url(pk), destPayment: '1', totalDestPayment: '2' });
    expect(parseInvoice(json)).toMatchObject({ ok: false, error: { field: 'totalDestPayment' } });
  });

  const base = { invoiceId: toBase64Url(id), currency: 'FST', destPublicKey: toBase64Url(pk), totalDestPayment: '60' };
  it.each([
    ['a JSON number amount', { ...base, totalDestPayment: 60 }, 'totalDestPayment', /decimal string/],
    ['a negative amount', { ...base, totalDestPayment: '-60' }, 'totalDestPayment', /decimal string/],
    ['a fractional amount', { ...base, totalDestPayment: '6.5' }, 'totalDestPayment', /decimal string/],
    ['an amount over u128', { ...base, totalDestPayment: (1n << 128n).toString() }, 'totalDestPayment', /out of range/],
    ['an empty currency', { ...base, currency: '' }, 'currency', /1 to 16 bytes/],
    ['a 17-byte currency', { ...base, currency: 'A'.repeat(17) }, 'currency', /at most 16 bytes/],
    ['a short invoice id', { ...base, invoiceId: 'AAAA' }, 'invoiceId', /43 base64url/],
    ['a missing seller key', { ...base, destPublicKey: undefined }, 'destPublicKey', /missing/],
    ['a description too long', { ...base, description: 'x'.repeat(513) }, 'description', /512 bytes/],
  ])('rejects %s naming the field', (_n, doc, field, message) => {
    const r = parseInvoice(JSON.stringify(doc));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ fileKind: 'invoice', field });
      expect(r.error.message).toMatch(message);
    }
  });

  it('rejects a TOML amount beyond u128', () => {
    const toml = `invoice_id = "${toBase64Url(id)}"\ncurrency = "FST"\ndest_public_key = "${toBase64Url(pk)}"\ndest_payment = ${1n << 128n}\n`;
    expect(parseInvoice(toml)).toMatchObject({ ok: false, error: { field: 'totalDestPayment' } });
  });
});
