import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../codec/index.ts';
import { nobleBackend } from '../crypto/index.ts';
import { verifyCommit } from '../proto/index.ts';
import { identFromSeed } from './ident.ts';
import { type QrObject, formatQrPayload, parseQrPayload } from './qr.ts';
import { COMMIT, INVOICE, RECEIPT, SELLER_PUBLIC_KEY } from './vectors/funder-2-5.ts';

const app = identFromSeed(nobleBackend, new Uint8Array(32).fill(4));
const samples: QrObject[] = [
  { kind: 'invoice', invoice: INVOICE },
  { kind: 'invoice', invoice: { ...INVOICE, description: 'bananas' } },
  { kind: 'invoice', invoice: { ...INVOICE, expiresAt: 1_795_000_000 } },
  { kind: 'commit', commit: COMMIT },
  { kind: 'receipt', receipt: RECEIPT },
  { kind: 'friend', friend: { publicKey: SELLER_PUBLIC_KEY, relays: [{ publicKey: app.publicKey, address: '10.0.0.1:4567' }] } },
  { kind: 'friend', friend: { publicKey: SELLER_PUBLIC_KEY, relays: [], name: 'alice' } },
  { kind: 'rcard', rcard: { name: 'home', nodePublicKey: SELLER_PUBLIC_KEY, address: '127.0.0.1:9876', appPrivateKey: app.privateKey, appPublicKey: app.publicKey } },
];

describe('QR payloads', () => {
  it.each(samples.map((s, i) => [`${s.kind} #${i}`, s] as const))('round-trips %s with its offset:<kind>: prefix', (_n, obj) => {
    const text = formatQrPayload(obj);
    expect(text.startsWith(`offset:${obj.kind}:`)).toBe(true);
    expect(text).toMatch(/^offset:[a-z]+:[A-Za-z0-9_-]+$/);
    expect(parseQrPayload(text, nobleBackend)).toEqual({ ok: true, value: obj });
  });

  it('stays short enough for a phone camera', () => {
    expect(formatQrPayload({ kind: 'invoice', invoice: INVOICE }).length).toBeLessThan(150);
    expect(formatQrPayload({ kind: 'commit', commit: COMMIT }).length).toBeLessThan(330);
  });

  it('keeps the commit signature valid through a QR round trip', () => {
    const r = parseQrPayload(formatQrPayload({ kind: 'commit', commit: COMMIT }), nobleBackend);
    expect(r.ok && r.value.kind === 'commit' && verifyCommit(nobleBackend, r.value.commit, SELLER_PUBLIC_KEY)).toBe(true);
  });

  it('round-trips random invoices', () => {
    fc.assert(fc.property(
      fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.stringMatching(/^[A-Z]{1,16}$/),
      fc.option(fc.string({ maxLength: 100 }).filter((s) => !/[\u0000-\u001f\u007f]/.test(s)), { nil: undefined }),
      (invoiceId, destPublicKey, totalDestPayment, currency, description) => {
        const invoice = description === undefined
          ? { invoiceId, destPublicKey, totalDestPayment, currency }
          : { invoiceId, destPublicKey, totalDestPayment, currency, description };
        const r = parseQrPayload(formatQrPayload({ kind: 'invoice', invoice }), nobleBackend);
        expect(r).toEqual({ ok: true, value: { kind: 'invoice', invoice } });
      },
    ), { numRuns: 200 });
  });

  it.each([
    ['no prefix', 'hello'], ['another scheme', 'bitcoin:1abc'], ['an unknown kind', 'offset:token:AAAA'],
    ['bad base64url', 'offset:invoice:AA=A'], ['empty data', 'offset:invoice:'], ['uppercase kind', 'OFFSET:INVOICE:AAAA'],
  ])('rejects %s', (_n, text) => {
    const r = parseQrPayload(text, nobleBackend);
    expect(r).toMatchObject({ ok: false });
  });

  it('rejects every truncation and a trailing byte of an invoice payload', () => {
    const text = formatQrPayload({ kind: 'invoice', invoice: { ...INVOICE, description: 'x' } });
    const bytes = fromBase64Url(text.slice('offset:invoice:'.length)) as Uint8Array;
    for (let n = 0; n < bytes.length; n++) {
      expect(parseQrPayload(`offset:invoice:${toBase64Url(bytes.subarray(0, n))}`, nobleBackend).ok).toBe(false);
    }
    expect(parseQrPayload(`offset:invoice:${toBase64Url(Uint8Array.of(...bytes, 0))}`, nobleBackend).ok).toBe(false);
  });

  it('rejects an unknown version byte', () => {
    const text = formatQrPayload({ kind: 'commit', commit: COMMIT });
    const bytes = fromBase64Url(text.slice('offset:commit:'.length)) as Uint8Array;
    bytes[0] = 2;
    const r = parseQrPayload(`offset:commit:${toBase64Url(bytes)}`, nobleBackend);
    expect(r).toMatchObject({ ok: false, error: { fileKind: 'commit' } });
    if (!r.ok) expect(r.error.message).toMatch(/version 2 is not supported/);
  });

  it('writes version 1 for an invoice without expiry and version 2 with one', () => {
    const version = (invoice: typeof INVOICE): number | undefined => fromBase64Url(formatQrPayload({ kind: 'invoice', invoice }).slice('offset:invoice:'.length))?.[0];
    expect(version(INVOICE)).toBe(1);
    expect(version({ ...INVOICE, expiresAt: 1_795_000_000 })).toBe(2);
  });

  it('rejects an invoice whose expiry is beyond what a file can name, and every truncation of version 2', () => {
    const text = formatQrPayload({ kind: 'invoice', invoice: { ...INVOICE, expiresAt: 1_795_000_000 } });
    const bytes = fromBase64Url(text.slice('offset:invoice:'.length)) as Uint8Array;
    const far = Uint8Array.of(...bytes);
    far.fill(0xff, far.length - 8);
    const r = parseQrPayload(`offset:invoice:${toBase64Url(far)}`, nobleBackend);
    expect(r).toMatchObject({ ok: false, error: { fileKind: 'invoice' } });
    for (let n = 1; n < bytes.length; n++) {
      expect(parseQrPayload(`offset:invoice:${toBase64Url(bytes.subarray(0, n))}`, nobleBackend).ok).toBe(false);
    }
    const v1Body = Uint8Array.of(1, ...bytes.subarray(1)); // a version-1 header on a version-2 body
    expect(parseQrPayload(`offset:invoice:${toBase64Url(v1Body)}`, nobleBackend).ok).toBe(false);
  });

  it('applies the file checks: an empty currency is refused', () => {
    const text = formatQrPayload({ kind: 'invoice', invoice: INVOICE });
    const bytes = fromBase64Url(text.slice('offset:invoice:'.length)) as Uint8Array;
    // version(1) + invoiceId(32) + currency length u32 = 6
    const forged = Uint8Array.of(...bytes.subarray(0, 33), 0, 0, 0, 0, ...bytes.subarray(33 + 4 + 6));
    const r = parseQrPayload(`offset:invoice:${toBase64Url(forged)}`, nobleBackend);
    expect(r).toMatchObject({ ok: false, error: { fileKind: 'invoice', field: 'currency' } });
  });

  it('never throws on random payloads', () => {
    fc.assert(fc.property(fc.constantFrom('invoice', 'commit', 'receipt', 'friend', 'rcard'), fc.uint8Array({ maxLength: 400 }), (kind, bytes) => {
      const r = parseQrPayload(`offset:${kind}:${toBase64Url(bytes)}`, nobleBackend);
      expect(typeof r.ok).toBe('boolean');
    }), { numRuns: 500 });
  });
});
