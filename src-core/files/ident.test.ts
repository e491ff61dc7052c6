import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../codec/index.ts';
import { nobleBackend } from '../crypto/index.ts';
import { formatIdent, identFromSeed, parseIdent } from './ident.ts';
import { SELLER_PUBLIC_KEY, SELLER_SEED } from './vectors/funder-2-5.ts';

const backend = nobleBackend;
const ident = identFromSeed(backend, SELLER_SEED);

describe('ident files', () => {
  it('writes camelCase JSON with 43-character base64url keys and reads it back', () => {
    const text = formatIdent(ident);
    const doc = JSON.parse(text) as Record<string, string>;
    expect(doc).toEqual({ kind: 'ident', privateKey: toBase64Url(SELLER_SEED), publicKey: toBase64Url(SELLER_PUBLIC_KEY) });
    expect(doc.privateKey).toHaveLength(43);
    expect(parseIdent(text, backend)).toEqual({ ok: true, value: ident });
  });

  it("reads the original's snake_case TOML identity and derives the public key", () => {
    const r = parseIdent(`private_key = "${toBase64Url(SELLER_SEED)}"\n`, backend);
    expect(r.ok && r.value.publicKey).toEqual(SELLER_PUBLIC_KEY);
  });

  it("reads the original 0.1.11's PKCS#8 identity (ring's 85-byte v2 document)", () => {
    const pkcs8 = Uint8Array.of(
      ...[0x30, 0x53, 0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20], ...SELLER_SEED,
      ...[0xa1, 0x23, 0x03, 0x21, 0x00], ...SELLER_PUBLIC_KEY,
    );
    expect(parseIdent(`private_key = "${toBase64Url(pkcs8)}"\n`, backend)).toEqual({ ok: true, value: ident });
    const damaged = Uint8Array.from(pkcs8, (b, i) => (i === 84 ? b ^ 1 : b));
    expect(parseIdent(`private_key = "${toBase64Url(damaged)}"\n`, backend)).toMatchObject({ ok: false, error: { code: 'key-mismatch', field: 'privateKey' } });
    const otherPrefix = Uint8Array.from(pkcs8, (b, i) => (i === 1 ? 0x54 : b));
    expect(parseIdent(`private_key = "${toBase64Url(otherPrefix)}"\n`, backend)).toMatchObject({ ok: false, error: { code: 'bad-value', field: 'privateKey' } });
  });

  it('rejects a public key that does not belong to the private key', () => {
    const other = identFromSeed(backend, new Uint8Array(32).fill(9));
    const text = JSON.stringify({ kind: 'ident', privateKey: toBase64Url(SELLER_SEED), publicKey: toBase64Url(other.publicKey) });
    const r = parseIdent(text, backend);
    expect(r).toMatchObject({ ok: false, error: { code: 'key-mismatch', fileKind: 'ident', field: 'publicKey' } });
  });

  it.each([
    ['a short key', { privateKey: 'AAAA' }, 'privateKey', /expected 43 base64url characters \(32 bytes\)/],
    ['a padded key', { privateKey: `${toBase64Url(SELLER_SEED)}=` }, 'privateKey', /43 base64url/],
    ['standard base64', { privateKey: toBase64Url(SELLER_SEED).replace(/-/g, '+').replace(/_/g, '/').replace(/^./, '+') }, 'privateKey', /base64url/],
    ['a number', { privateKey: 5 }, 'privateKey', /got 5/],
    ['no key', {}, 'privateKey', /missing/],
    ['an extra field', { privateKey: toBase64Url(SELLER_SEED), extra: 1 }, 'extra', /unknown field/],
    ['both spellings', { privateKey: toBase64Url(SELLER_SEED), private_key: toBase64Url(SELLER_SEED) }, 'privateKey', /more than once/],
  ])('rejects %s naming the field', (_name, doc, field, message) => {
    const r = parseIdent(JSON.stringify(doc), backend);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.field).toBe(field);
      expect(r.error.message).toMatch(/^identity file: field /);
      expect(r.error.message).toMatch(message);
    }
  });

  it('quotes an odd unknown key so the message stays one line', () => {
    const r = parseIdent(JSON.stringify({ privateKey: toBase64Url(SELLER_SEED), 'a\nb': 1 }), backend);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('identity file: field "a\\nb": unknown field');
  });

  it('rejects a ticket given as an identity', () => {
    const r = parseIdent(JSON.stringify({ kind: 'node-ticket', privateKey: toBase64Url(SELLER_SEED) }), backend);
    expect(r).toMatchObject({ ok: false, error: { code: 'wrong-kind' } });
  });

  it('throws RangeError when formatting a key of the wrong length', () => {
    expect(() => formatIdent({ privateKey: new Uint8Array(31), publicKey: SELLER_PUBLIC_KEY })).toThrow(RangeError);
  });
});
