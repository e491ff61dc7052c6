import { describe, expect, it } from 'vitest';
import { nobleBackend } from '../../src-core/crypto/index.ts';
import { formatQrPayload, parseFriend, parseRcard } from '../../src-core/files/index.ts';
import type { Commit, Receipt } from '../../src-core/proto/index.ts';
import { LINK_TAB, describeLink, linkFromHash, parseOffsetLink } from './link-model.ts';

const k = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const invoice = { invoiceId: k(7), currency: 'FST', destPublicKey: k(1), totalDestPayment: 60n, description: 'tea' };
const invoiceLink = formatQrPayload({ kind: 'invoice', invoice });

describe('offset: links', () => {
  it('reads each kind and names the tab it opens', () => {
    expect(parseOffsetLink(invoiceLink)).toEqual({ ok: true, value: { kind: 'invoice', invoice, text: invoiceLink } });
    const commit: Commit = { responseHash: k(1), srcPlainLock: k(2), destHashedLock: k(3), destPayment: 6n, totalDestPayment: 6n, invoiceId: k(7), currency: 'FST', signature: new Uint8Array(64) };
    expect(parseOffsetLink(formatQrPayload({ kind: 'commit', commit }))).toMatchObject({ ok: true, value: { kind: 'commit', commit } });
    const receipt: Receipt = { responseHash: k(1), invoiceId: k(7), currency: 'FST', srcPlainLock: k(2), destPlainLock: k(3), isComplete: true, destPayment: 6n, totalDestPayment: 6n, signature: new Uint8Array(64) };
    const r = parseOffsetLink(formatQrPayload({ kind: 'receipt', receipt }));
    expect(r).toMatchObject({ ok: true, value: { kind: 'receipt', receipt } });
    if (r.ok) expect(describeLink(r.value)).toBe('A receipt for 6 FST.');
    const friend = { publicKey: k(3), relays: [{ publicKey: k(4), address: '127.0.0.1:9000' }], name: 'Bob' };
    const f = parseOffsetLink(formatQrPayload({ kind: 'friend', friend }));
    expect(f.ok && f.value.kind === 'friend' && parseFriend(f.value.fileText)).toEqual({ ok: true, value: friend });
    const seed = k(9);
    const rcard = { name: 'Node', nodePublicKey: k(5), address: '127.0.0.1:9001', appPrivateKey: seed, appPublicKey: nobleBackend.ed25519PublicKey(seed) };
    const c = parseOffsetLink(formatQrPayload({ kind: 'rcard', rcard }));
    expect(c.ok && c.value.kind === 'rcard' && c.value.name).toBe('Node');
    expect(c.ok && c.value.kind === 'rcard' && parseRcard(c.value.fileText, nobleBackend)).toEqual({ ok: true, value: rcard });
    expect(LINK_TAB).toEqual({ invoice: 'pay', commit: 'get-paid', friend: 'friends' });
  });

  it('takes a link copied from an address bar (percent-encoded, any case of the scheme)', () => {
    expect(parseOffsetLink(encodeURIComponent(invoiceLink))).toMatchObject({ ok: true, value: { kind: 'invoice' } });
    expect(parseOffsetLink(`  OFFSET:${invoiceLink.slice(7)}\n`)).toMatchObject({ ok: true, value: { kind: 'invoice', text: invoiceLink } });
    expect(linkFromHash(`#${invoiceLink}`)).toBe(invoiceLink);
    expect(linkFromHash(`#${encodeURIComponent(invoiceLink)}`)).toBe(invoiceLink);
    expect(linkFromHash('#token=abc')).toBeUndefined();
    expect(linkFromHash('#%E0%A4%A')).toBeUndefined();
  });

  it('refuses what is not a readable link with a sentence', () => {
    expect(parseOffsetLink(' ')).toEqual({ ok: false, error: 'Paste an offset: link first.' });
    expect(parseOffsetLink('https://example.org')).toMatchObject({ ok: false, error: expect.stringMatching(/not an offset: link/) });
    expect(parseOffsetLink('offset:invoice:AAAA')).toMatchObject({ ok: false, error: expect.stringMatching(/cannot be read/) });
    expect(parseOffsetLink('offset:wallet:AAAA')).toMatchObject({ ok: false, error: expect.stringMatching(/cannot be read/) });
    expect(parseOffsetLink('offset:invoice:%E0%A4%A')).toMatchObject({ ok: false, error: expect.stringMatching(/not properly encoded/) });
    expect(parseOffsetLink(`offset:invoice:${'A'.repeat(9000)}`)).toMatchObject({ ok: false, error: expect.stringMatching(/too long/) });
  });
});
