import { describe, expect, it } from 'vitest';
import type { NodeReport } from '../../src-core/app/index.ts';
import { toBase64Url } from '../../src-core/codec/index.ts';
import { formatIndexTicket, formatRelayTicket } from '../../src-core/files/index.ts';
import { DEFAULT_CLI_ADDRESS, parseCliAddress, shellWord, stctrlCommand } from './cli-access.ts';
import { addServerRequest, nameFromFileName, removeServerRequest, serverRows } from './server-input.ts';

const relayKey = new Uint8Array(32).fill(1);
const indexKey = new Uint8Array(32).fill(2);
const otherIndex = new Uint8Array(32).fill(3);
const relayTicket = formatRelayTicket({ publicKey: relayKey, address: '127.0.0.1:4000' });
const indexTicket = formatIndexTicket({ publicKey: indexKey, address: '127.0.0.1:5000' });

function report(r: Partial<NodeReport> = {}): NodeReport {
  return {
    localPublicKey: new Uint8Array(32).fill(9), relays: [], indexServers: [], connectedIndexServer: undefined,
    friends: [], openInvoices: [], openPayments: [], ...r,
  };
}

describe('addServerRequest', () => {
  it('adds a relay and an index server from their tickets', () => {
    expect(addServerRequest('relay', { ticketText: relayTicket, name: ' home relay ' }, report())).toEqual({
      ok: true, value: { kind: 'add-relay', relay: { publicKey: relayKey, address: '127.0.0.1:4000', name: 'home relay' } },
    });
    expect(addServerRequest('index', { ticketText: indexTicket, name: 'idx' }, report())).toEqual({
      ok: true, value: { kind: 'add-index-server', server: { publicKey: indexKey, address: '127.0.0.1:5000', name: 'idx' } },
    });
  });

  it("reads the original's TOML ticket", () => {
    const toml = `public_key = "${toBase64Url(relayKey)}"\naddress = "127.0.0.1:4000"\n`;
    expect(addServerRequest('relay', { ticketText: toml, name: 'r' }, report()).ok).toBe(true);
  });

  it.each([
    ['an empty text', 'relay', '', 'r', "Paste, open or scan the relay's ticket."],
    ['an index ticket as a relay', 'relay', indexTicket, 'r', 'This is an index server ticket: add it under Index servers.'],
    ['a relay ticket as an index server', 'index', relayTicket, 'r', 'This is a relay ticket: add it under Relays.'],
    ['another kind of file', 'relay', '{"kind":"invoice"}', 'r', 'This is not a relay ticket: it is a file of kind "invoice".'],
    ['garbage', 'relay', 'hello', 'r', 'This is not a relay ticket we can read'],
    ['no name', 'relay', relayTicket, ' ', 'Give the relay a name.'],
  ] as const)('refuses %s', (_what, kind, text, name, message) => {
    const r = addServerRequest(kind, { ticketText: text, name }, report());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });

  it('refuses a server the card already has', () => {
    const r = addServerRequest('relay', { ticketText: relayTicket, name: 'again' }, report({ relays: [{ publicKey: relayKey, address: '1.2.3.4:5', name: 'home' }] }));
    expect(r).toEqual({ ok: false, error: 'This relay is already on this card, as "home".' });
  });
});

describe('serverRows and removeServerRequest', () => {
  it('marks the connected index server and the relays the card listens on', () => {
    const r = report({
      relays: [{ publicKey: relayKey, address: 'a:1', name: 'r' }, { publicKey: otherIndex, address: 'c:3', name: 's' }],
      indexServers: [{ publicKey: indexKey, address: 'b:2', name: 'i' }, { publicKey: otherIndex, address: 'c:3', name: 'j' }],
      connectedIndexServer: indexKey,
      connectedRelays: [relayKey],
    });
    expect(serverRows('index', r).map((x) => [x.name, x.status])).toEqual([['i', 'connected'], ['j', 'standby']]);
    expect(serverRows('relay', r).map((x) => [x.name, x.status])).toEqual([['r', 'connected'], ['s', 'not-connected']]);
  });

  it('says not connected when the card reaches none', () => {
    const r = report({ relays: [{ publicKey: relayKey, address: 'a:1', name: 'r' }], indexServers: [{ publicKey: indexKey, address: 'b:2', name: 'i' }] });
    expect(serverRows('index', r).map((x) => x.status)).toEqual(['not-connected']);
    expect(serverRows('relay', r).map((x) => x.status)).toEqual(['not-connected']);
  });

  it('builds the removal requests', () => {
    expect(removeServerRequest('relay', relayKey)).toEqual({ kind: 'remove-relay', publicKey: relayKey });
    expect(removeServerRequest('index', indexKey)).toEqual({ kind: 'remove-index-server', publicKey: indexKey });
  });

  it('suggests a name from the file name', () => {
    expect(nameFromFileName('my_relay.ticket')).toBe('my relay');
    expect(nameFromFileName('index-client.json')).toBe('index client');
  });
});

describe('command line access', () => {
  it('accepts HOST:PORT with port 0 and defaults to loopback', () => {
    expect(parseCliAddress('')).toEqual({ ok: true, value: DEFAULT_CLI_ADDRESS });
    expect(parseCliAddress(' 127.0.0.1:9000 ')).toEqual({ ok: true, value: '127.0.0.1:9000' });
    expect(parseCliAddress('localhost:0')).toEqual({ ok: true, value: 'localhost:0' });
    expect(parseCliAddress('127.0.0.1').ok).toBe(false);
    expect(parseCliAddress('127.0.0.1:70000').ok).toBe(false);
  });

  it('shows the stctrl command with paths quoted for the shell', () => {
    const access = { address: '127.0.0.1:4321', nodeTicket: '/data/cards/x/cli/node.ticket', appIdent: "/home/o'neil/My Wallet/app.ident", appTicket: '/t' };
    expect(stctrlCommand(access)).toBe("stctrl -I '/home/o'\\''neil/My Wallet/app.ident' -T /data/cards/x/cli/node.ticket info friends");
    expect(shellWord('plain/path.ident')).toBe('plain/path.ident');
  });
});
