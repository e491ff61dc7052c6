import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../codec/index.ts';
import { formatFriend, parseFriend } from './friend.ts';

const node = new Uint8Array(32).fill(1);
const relay = new Uint8Array(32).fill(2);
// the keys printed in the tutorial (seeds/000_*, "Exporting friend tickets")
const TUTORIAL_NODE = 'TiTqXCEMBDoAyseEiw8t6r3L7do_k0iXOU1_rk4ERqw';
const TUTORIAL_RELAY = 'Brvo3Fo0O2svzU1rFdcBL6FtLVNL6b8xJNAWgZc7ll0';

describe('friend files', () => {
  it('round-trips our JSON with relays and a name', () => {
    const friend = { publicKey: node, relays: [{ publicKey: relay, address: '127.0.0.1:9000' }], name: 'bob' };
    const text = formatFriend(friend);
    expect(JSON.parse(text)).toEqual({
      kind: 'friend', publicKey: toBase64Url(node), relays: [{ publicKey: toBase64Url(relay), address: '127.0.0.1:9000' }], name: 'bob',
    });
    expect(parseFriend(text)).toEqual({ ok: true, value: friend });
  });

  it("reads the tutorial's file: the node key, then a blank-line separated relay block", () => {
    const text = `public_key = "${TUTORIAL_NODE}"\n\npublic_key = "${TUTORIAL_RELAY}"\naddress = "127.0.0.1:9000"\n`;
    const r = parseFriend(text);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(toBase64Url(r.value.publicKey)).toBe(TUTORIAL_NODE);
      expect(r.value.relays.map((x) => [toBase64Url(x.publicKey), x.address])).toEqual([[TUTORIAL_RELAY, '127.0.0.1:9000']]);
    }
  });

  it("reads the original's TOML with [[relays]] tables and CRLF line ends", () => {
    const text = `public_key = "${TUTORIAL_NODE}"\r\n\r\n[[relays]]\r\npublic_key = "${TUTORIAL_RELAY}"\r\naddress = "r1.example:1"\r\n\r\n[[relays]]\r\npublic_key = "${TUTORIAL_NODE}"\r\naddress = "r2.example:2" # second\r\n`;
    const r = parseFriend(text);
    expect(r.ok && r.value.relays.map((x) => x.address)).toEqual(['r1.example:1', 'r2.example:2']);
  });

  it('reads indented TOML with literal (single-quoted) strings, as the original writes in its tests', () => {
    const text = `
        public_key = '${toBase64Url(node)}'

        [[relays]]
        public_key = '${toBase64Url(relay)}'
        address = '127.0.0.1:1500'
    `;
    expect(parseFriend(text)).toEqual({ ok: true, value: { publicKey: node, relays: [{ publicKey: relay, address: '127.0.0.1:1500' }] } });
  });

  it('reads a friend with no relays', () => {
    expect(parseFriend(`public_key = "${TUTORIAL_NODE}"\n`)).toMatchObject({ ok: true, value: { relays: [] } });
  });

  it("rejects the tutorial's elided empty relay address with a clear message", () => {
    const r = parseFriend(`public_key = "${TUTORIAL_NODE}"\n\npublic_key = "${TUTORIAL_RELAY}"\naddress = ""\n`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('friend file: field relays[0].address: expected host:port (empty), got ""');
  });

  it('rejects more than 16 relays', () => {
    const relays = Array.from({ length: 17 }, () => ({ publicKey: toBase64Url(relay), address: 'h:1' }));
    const r = parseFriend(JSON.stringify({ publicKey: toBase64Url(node), relays }));
    expect(r).toMatchObject({ ok: false, error: { field: 'relays', code: 'bad-value' } });
  });

  it.each([
    ['a relay without a key', { publicKey: toBase64Url(node), relays: [{ address: 'h:1' }] }, 'relays[0].publicKey'],
    ['a relay that is a string', { publicKey: toBase64Url(node), relays: ['h:1'] }, 'relays[0]'],
    ['relays that are an object', { publicKey: toBase64Url(node), relays: {} }, 'relays'],
    ['a name with a newline', { publicKey: toBase64Url(node), relays: [], name: 'a\nb' }, 'name'],
    ['a name too long', { publicKey: toBase64Url(node), relays: [], name: 'x'.repeat(65) }, 'name'],
    ['an unknown relay field', { publicKey: toBase64Url(node), relays: [{ publicKey: toBase64Url(relay), address: 'h:1', port: 1 }] }, 'relays[0].port'],
  ])('rejects %s naming the field', (_n, doc, field) => {
    const r = parseFriend(JSON.stringify(doc));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.field).toBe(field);
  });

  it('rejects a duplicated TOML key', () => {
    expect(parseFriend(`public_key = "${TUTORIAL_NODE}"\npublic_key = "${TUTORIAL_NODE}"\n`)).toMatchObject({ ok: false, error: { code: 'syntax' } });
  });
});
