import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../codec/index.ts';
import { nobleBackend } from '../crypto/index.ts';
import { identFromSeed } from './ident.ts';
import { formatRcard, parseRcard } from './rcard.ts';

const app = identFromSeed(nobleBackend, new Uint8Array(32).fill(4));
const nodePk = new Uint8Array(32).fill(5);
const card = { name: 'home', nodePublicKey: nodePk, address: 'www.mynode.com:9876', appPrivateKey: app.privateKey, appPublicKey: app.publicKey };

describe('remote cards', () => {
  it('round-trips', () => {
    const text = formatRcard(card);
    expect(JSON.parse(text)).toMatchObject({ kind: 'rcard', name: 'home', nodePublicKey: toBase64Url(nodePk), appPublicKey: toBase64Url(app.publicKey) });
    expect(parseRcard(text, nobleBackend)).toEqual({ ok: true, value: card });
  });

  it('derives the app public key when it is absent and the name defaults to empty', () => {
    const text = JSON.stringify({ nodePublicKey: toBase64Url(nodePk), address: 'h:1', appPrivateKey: toBase64Url(app.privateKey) });
    expect(parseRcard(text, nobleBackend)).toMatchObject({ ok: true, value: { name: '', appPublicKey: app.publicKey } });
  });

  it('rejects an app public key that does not match the private key', () => {
    const doc = { ...JSON.parse(formatRcard(card)), appPublicKey: toBase64Url(nodePk) };
    expect(parseRcard(JSON.stringify(doc), nobleBackend)).toMatchObject({ ok: false, error: { code: 'key-mismatch', field: 'appPublicKey' } });
  });

  it('rejects a missing node key naming it', () => {
    const doc = JSON.parse(formatRcard(card));
    delete doc.nodePublicKey;
    const r = parseRcard(JSON.stringify(doc), nobleBackend);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('remote card: field nodePublicKey: missing');
  });
});
