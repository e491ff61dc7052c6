import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../codec/index.ts';
import { nobleBackend } from '../crypto/index.ts';
import { verifyCommit, verifyReceipt } from '../proto/index.ts';
import { formatCommit, parseCommit } from './commit.ts';
import { formatReceipt, parseReceipt } from './receipt.ts';
import { COMMIT, RECEIPT, SELLER_PUBLIC_KEY } from './vectors/funder-2-5.ts';

const snake = (doc: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(doc).filter(([k]) => k !== 'kind').map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));

describe('commit files', () => {
  it('round-trips the §2.5 commit, which still verifies after reading', () => {
    const r = parseCommit(formatCommit(COMMIT));
    expect(r).toEqual({ ok: true, value: COMMIT });
    expect(r.ok && verifyCommit(nobleBackend, r.value, SELLER_PUBLIC_KEY)).toBe(true);
  });

  it("reads the original's snake_case commit", () => {
    expect(parseCommit(JSON.stringify(snake(JSON.parse(formatCommit(COMMIT)))))).toEqual({ ok: true, value: COMMIT });
  });

  it('rejects a commit whose destPayment exceeds totalDestPayment', () => {
    const doc = { ...JSON.parse(formatCommit(COMMIT)), destPayment: '11' };
    expect(parseCommit(JSON.stringify(doc))).toMatchObject({ ok: false, error: { field: 'destPayment', code: 'bad-value' } });
  });

  it('rejects a 63-byte signature naming it', () => {
    const doc = { ...JSON.parse(formatCommit(COMMIT)), signature: toBase64Url(new Uint8Array(63)) };
    const r = parseCommit(JSON.stringify(doc));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/^commit: field signature: expected 86 base64url characters \(64 bytes\)/);
  });

  it('rejects a receipt given as a commit', () => {
    expect(parseCommit(formatReceipt(RECEIPT))).toMatchObject({ ok: false, error: { code: 'wrong-kind' } });
  });
});

describe('receipt files', () => {
  it('round-trips the §2.5 receipt, which still verifies after reading', () => {
    const r = parseReceipt(formatReceipt(RECEIPT));
    expect(r).toEqual({ ok: true, value: RECEIPT });
    expect(r.ok && verifyReceipt(nobleBackend, r.value, SELLER_PUBLIC_KEY)).toBe(true);
  });

  it("reads the original's snake_case receipt as TOML", () => {
    const doc = snake(JSON.parse(formatReceipt(RECEIPT)));
    const toml = Object.entries(doc).map(([k, v]) => `${k} = ${typeof v === 'boolean' ? v : JSON.stringify(v)}`).join('\n');
    expect(parseReceipt(toml)).toEqual({ ok: true, value: RECEIPT });
  });

  it('rejects isComplete given as a string', () => {
    const doc = { ...JSON.parse(formatReceipt(RECEIPT)), isComplete: 'true' };
    expect(parseReceipt(JSON.stringify(doc))).toMatchObject({ ok: false, error: { field: 'isComplete' } });
  });

  it('rejects a missing destPlainLock', () => {
    const doc = JSON.parse(formatReceipt(RECEIPT));
    delete doc.destPlainLock;
    expect(parseReceipt(JSON.stringify(doc))).toMatchObject({ ok: false, error: { code: 'missing-field', field: 'destPlainLock' } });
  });
});
