import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../codec/index.ts';
import {
  formatAppTicket, formatIndexTicket, formatNodeTicket, formatRelayTicket, parseAppTicket, parseIndexTicket,
  parseNodeTicket, parseRelayTicket,
} from './tickets.ts';

const pk = new Uint8Array(32).fill(7);
const pk64 = toBase64Url(pk);

describe('address tickets', () => {
  it.each([
    ['node', formatNodeTicket, parseNodeTicket, 'node-ticket'],
    ['relay', formatRelayTicket, parseRelayTicket, 'relay-ticket'],
    ['index', formatIndexTicket, parseIndexTicket, 'index-ticket'],
  ] as const)('a %s ticket round-trips and carries its kind', (_n, format, parse, kind) => {
    const text = format({ publicKey: pk, address: '127.0.0.1:9500' });
    expect(JSON.parse(text)).toEqual({ kind, publicKey: pk64, address: '127.0.0.1:9500' });
    expect(parse(text)).toEqual({ ok: true, value: { publicKey: pk, address: '127.0.0.1:9500' } });
  });

  it('refuses a relay ticket where an index ticket is expected', () => {
    const r = parseIndexTicket(formatRelayTicket({ publicKey: pk, address: 'h:1' }));
    expect(r).toMatchObject({ ok: false, error: { code: 'wrong-kind', fileKind: 'index-ticket' } });
    if (!r.ok) expect(r.error.message).toBe('index ticket: this is a relay-ticket file, expected kind "index-ticket"');
  });

  it("accepts the original's snake_case TOML ticket without a kind", () => {
    expect(parseRelayTicket(`public_key = "${pk64}"\naddress = "relay.example.com:4567"\n`))
      .toEqual({ ok: true, value: { publicKey: pk, address: 'relay.example.com:4567' } });
  });

  it('rejects a bad address naming the field', () => {
    const r = parseNodeTicket(JSON.stringify({ publicKey: pk64, address: '127.0.0.1' }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('node ticket: field address: expected host:port (no port), got "127.0.0.1"');
  });

  it('throws RangeError when formatting a bad address', () => {
    expect(() => formatNodeTicket({ publicKey: pk, address: 'nowhere' })).toThrow(RangeError);
  });
});

describe('app tickets', () => {
  it('round-trips every permission', () => {
    const permissions = { buyer: true, seller: false, config: true, routes: true };
    const text = formatAppTicket({ publicKey: pk, permissions });
    expect(JSON.parse(text)).toEqual({ kind: 'app-ticket', publicKey: pk64, permissions });
    expect(parseAppTicket(text)).toEqual({ ok: true, value: { publicKey: pk, permissions } });
  });

  it('reads a legacy funds permission as buyer and absent permissions as false', () => {
    const r = parseAppTicket(JSON.stringify({ publicKey: pk64, permissions: { funds: true } }));
    expect(r).toEqual({ ok: true, value: { publicKey: pk, permissions: { buyer: true, seller: false, config: false, routes: false } } });
  });

  it('reads a TOML ticket with a [permissions] table', () => {
    const r = parseAppTicket(`public_key = "${pk64}"\n\n[permissions]\nroutes = true\nbuyer = true\nseller = true\nconfig = false\n`);
    expect(r).toEqual({ ok: true, value: { publicKey: pk, permissions: { buyer: true, seller: true, config: false, routes: true } } });
  });

  it('rejects an unknown permission naming it', () => {
    const r = parseAppTicket(JSON.stringify({ publicKey: pk64, permissions: { admin: true } }));
    expect(r).toMatchObject({ ok: false, error: { code: 'unknown-field', field: 'permissions.admin' } });
  });

  it('rejects a permission that is not a boolean', () => {
    const r = parseAppTicket(JSON.stringify({ publicKey: pk64, permissions: { buyer: 'yes' } }));
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-value', field: 'permissions.buyer' } });
  });
});
