import { describe, expect, it } from 'vitest';
import { formatCommit, formatInvoice, formatQrPayload } from '../../src-core/files/index.ts';
import { readExpected } from './offset-text.ts';

const k = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const invoice = { invoiceId: k(7), currency: 'FST', destPublicKey: k(1), totalDestPayment: 60n, description: 'tea' };

describe('reading pasted, opened or scanned text', () => {
  it('reads an invoice from its file text and from its QR text alike', () => {
    expect(readExpected(formatInvoice(invoice), 'invoice')).toEqual({ ok: true, value: invoice });
    expect(readExpected(`  ${formatQrPayload({ kind: 'invoice', invoice })}\n`, 'invoice')).toEqual({ ok: true, value: invoice });
  });

  it('names what it got instead', () => {
    const commit = {
      responseHash: k(1), srcPlainLock: k(2), destHashedLock: k(3), destPayment: 1n, totalDestPayment: 1n, invoiceId: k(7), currency: 'FST', signature: new Uint8Array(64),
    };
    expect(readExpected(formatCommit(commit), 'invoice')).toEqual({ ok: false, error: 'This is a commit, not an invoice.' });
    expect(readExpected(formatQrPayload({ kind: 'invoice', invoice }), 'commit')).toEqual({ ok: false, error: 'This is an invoice, not a commit.' });
    expect(readExpected(formatQrPayload({ kind: 'friend', friend: { publicKey: k(3), relays: [] } }), 'invoice')).toEqual({ ok: false, error: 'This is a friend file, not an invoice.' });
  });

  it('refuses empty text, garbage and damaged codes with a sentence', () => {
    expect(readExpected('  ', 'invoice')).toMatchObject({ ok: false, error: 'Paste, open or scan the invoice first.' });
    expect(readExpected('hello there', 'invoice')).toMatchObject({ ok: false, error: expect.stringMatching(/not an Offset invoice/) });
    expect(readExpected('offset:invoice:AAAA', 'invoice')).toMatchObject({ ok: false, error: expect.stringMatching(/QR code cannot be read/) });
    expect(readExpected('{"kind":"invoice"}', 'invoice')).toMatchObject({ ok: false, error: expect.stringMatching(/This invoice cannot be read/) });
  });
});
