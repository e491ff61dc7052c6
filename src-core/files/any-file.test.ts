import { describe, expect, it } from 'vitest';
import { nobleBackend } from '../crypto/index.ts';
import { declaredFileKind, parseAnyFile } from './any-file.ts';
import { formatCommit } from './commit.ts';
import { formatIdent, identFromSeed } from './ident.ts';
import { formatInvoice } from './invoice.ts';
import { formatRelayTicket } from './tickets.ts';
import { COMMIT, INVOICE, SELLER_PUBLIC_KEY, SELLER_SEED } from './vectors/funder-2-5.ts';

describe('parseAnyFile()', () => {
  it('reads each file by its declared kind', () => {
    const ident = identFromSeed(nobleBackend, SELLER_SEED);
    expect(parseAnyFile(formatIdent(ident), nobleBackend)).toEqual({ ok: true, value: { kind: 'ident', value: ident } });
    expect(parseAnyFile(formatInvoice(INVOICE), nobleBackend)).toEqual({ ok: true, value: { kind: 'invoice', value: INVOICE } });
    expect(parseAnyFile(formatCommit(COMMIT), nobleBackend)).toEqual({ ok: true, value: { kind: 'commit', value: COMMIT } });
    const relay = { publicKey: SELLER_PUBLIC_KEY, address: 'h:1' };
    expect(parseAnyFile(formatRelayTicket(relay), nobleBackend)).toEqual({ ok: true, value: { kind: 'relay-ticket', value: relay } });
  });

  it("uses the hint for the original's files, which declare no kind", () => {
    const toml = 'public_key = "TiTqXCEMBDoAyseEiw8t6r3L7do_k0iXOU1_rk4ERqw"\n';
    expect(parseAnyFile(toml, nobleBackend, 'friend')).toMatchObject({ ok: true, value: { kind: 'friend' } });
    expect(parseAnyFile(toml, nobleBackend)).toMatchObject({ ok: false, error: { code: 'wrong-kind' } });
  });

  it('prefers the declared kind over the hint', () => {
    expect(parseAnyFile(formatInvoice(INVOICE), nobleBackend, 'receipt')).toMatchObject({ ok: true, value: { kind: 'invoice' } });
  });

  it('ignores an unknown declared kind', () => {
    expect(declaredFileKind('{"kind":"token"}')).toBeUndefined();
    expect(declaredFileKind('{"kind":"constructor"}')).toBeUndefined();
  });
});
