import { describe, expect, it } from 'vitest';
import { detectCardFile, nameFromFileName } from './card-file.ts';

const backup = JSON.stringify({ format: 'offset-card-backup', version: 1, kdf: {}, nonce: '', sealed: '' });
const rcard = JSON.stringify({ kind: 'rcard', name: 'Shop', nodePublicKey: 'x', address: '127.0.0.1:1', appPrivateKey: 'y' });

describe('detectCardFile', () => {
  it('tells a backup (named after its file) from a remote card (named by itself)', () => {
    expect(detectCardFile(backup, 'Travel.offset-card')).toEqual({ ok: true, value: { file: { kind: 'backup', text: backup }, suggestedName: 'Travel' } });
    expect(detectCardFile(rcard, 'whatever.rcard')).toEqual({ ok: true, value: { file: { kind: 'rcard', text: rcard }, suggestedName: 'Shop' } });
    const unnamed = JSON.stringify({ kind: 'rcard' });
    expect(detectCardFile(unnamed, 'node7.rcard')).toMatchObject({ ok: true, value: { suggestedName: 'node7' } });
  });

  it('refuses anything else with one sentence', () => {
    for (const text of ['', 'not json', '[]', 'null', '{"kind":"friend"}', '{"format":"other"}', '"rcard"']) {
      expect(detectCardFile(text)).toEqual({ ok: false, error: expect.stringMatching(/^This is not a card file/) });
    }
  });

  it('cuts extensions and long names', () => {
    expect(nameFromFileName(' My card.OFFSET-CARD')).toBe('My card');
    expect(nameFromFileName('x'.repeat(100))).toHaveLength(64);
  });
});
