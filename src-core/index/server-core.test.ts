import { describe, expect, it } from 'vitest';
import { decodeExact, encode } from '../codec/index.ts';
import { identityFromSeed, nobleBackend as crypto } from '../crypto/index.ts';
import {
  type NodeReportBody, federationMessage, indexClientMessage, indexServerMessage, signedNodeReport,
} from '../proto/index.ts';
import { signNodeReport } from './report.ts';
import { IndexServerCore } from './server-core.ts';

const ident = (i: number) => identityFromSeed(crypto, new Uint8Array(32).fill(i));
const [a, b, c] = [ident(1), ident(2), ident(3)];
const cap = 1000n;
const entry = (friend: Uint8Array, add = 0) => ({ friend, currency: 'FST', sendCapacity: cap, recvCapacity: cap, rate: { mul: 0, add } });
const body = (node: Uint8Array, friends: NodeReportBody['friends'], time: bigint, counter = 0n): NodeReportBody => ({ node, time, counter, friends });
const MIN = 60_000;

function line(core: IndexServerCore, now: number): void {
  const t = BigInt(now);
  expect(core.acceptReport(signNodeReport(crypto, a, body(a.publicKey, [entry(b.publicKey)], t)), now)).toBe('accepted');
  expect(core.acceptReport(signNodeReport(crypto, b, body(b.publicKey, [entry(a.publicKey, 3), entry(c.publicKey)], t)), now)).toBe('accepted');
  expect(core.acceptReport(signNodeReport(crypto, c, body(c.publicKey, [entry(b.publicKey)], t)), now)).toBe('accepted');
}

const ask = (core: IndexServerCore, amount: bigint) =>
  core.routes({ source: a.publicKey, destination: c.publicKey, currency: 'FST', amount });

describe('IndexServerCore', () => {
  it('routes through nodes that reported each other, with the mediator rate', () => {
    const core = new IndexServerCore({ crypto, ttlMs: 3 * MIN, maxSkewMs: MIN });
    line(core, 1_000_000);
    const routes = ask(core, 500n);
    expect(routes).toHaveLength(1);
    expect(routes[0]?.route).toEqual([a.publicKey, b.publicKey, c.publicKey]);
    expect(routes[0]?.rate).toEqual({ mul: 0, add: 3 });
    expect(ask(core, 998n)).toEqual([]); // 997 + 3 = 1000 is the most
    expect(ask(core, 997n)).toHaveLength(1);
  });

  it('keeps only the newest report of a node and refuses replays', () => {
    const core = new IndexServerCore({ crypto, ttlMs: 3 * MIN, maxSkewMs: MIN });
    const now = 1_000_000;
    line(core, now);
    const old = signNodeReport(crypto, b, body(b.publicKey, [entry(a.publicKey, 3), entry(c.publicKey)], BigInt(now)));
    const newer = signNodeReport(crypto, b, body(b.publicKey, [], BigInt(now), 1n)); // b lost its friends
    expect(core.acceptReport(newer, now)).toBe('accepted');
    expect(ask(core, 10n)).toEqual([]);
    expect(core.acceptReport(old, now)).toBe('stale');
    expect(core.acceptReport(newer, now)).toBe('stale');
    expect(ask(core, 10n)).toEqual([]);
  });

  it('refuses forged, expired and future reports, changing nothing', () => {
    const core = new IndexServerCore({ crypto, ttlMs: 3 * MIN, maxSkewMs: MIN });
    const now = 10 * MIN;
    line(core, now);
    const before = core.heldReports().map((r) => encode(signedNodeReport, r));
    const forged = { ...signNodeReport(crypto, c, body(b.publicKey, [], BigInt(now), 5n)) }; // signed by c, claims b
    expect(core.acceptReport(forged, now)).toBe('bad-signature');
    const tampered = signNodeReport(crypto, b, body(b.publicKey, [entry(a.publicKey)], BigInt(now), 6n));
    const lie = { ...tampered, body: { ...tampered.body, friends: [{ ...entry(a.publicKey), recvCapacity: 10n ** 9n }] } };
    expect(core.acceptReport(lie, now)).toBe('bad-signature');
    expect(core.acceptReport(signNodeReport(crypto, b, body(b.publicKey, [], BigInt(now - 3 * MIN), 7n)), now)).toBe('expired');
    expect(core.acceptReport(signNodeReport(crypto, b, body(b.publicKey, [], BigInt(now + 2 * MIN), 8n)), now)).toBe('from-future');
    expect(core.heldReports().map((r) => encode(signedNodeReport, r))).toEqual(before);
    expect(ask(core, 10n)).toHaveLength(1);
  });

  it('expires a node that stops refreshing its report, and it becomes unroutable', () => {
    const core = new IndexServerCore({ crypto, ttlMs: 3 * MIN, maxSkewMs: MIN });
    const t0 = 10 * MIN;
    line(core, t0);
    // a and c refresh, b does not
    const t1 = t0 + 2 * MIN;
    core.acceptReport(signNodeReport(crypto, a, body(a.publicKey, [entry(b.publicKey)], BigInt(t1))), t1);
    core.acceptReport(signNodeReport(crypto, c, body(c.publicKey, [entry(b.publicKey)], BigInt(t1))), t1);
    expect(core.expire(t0 + 3 * MIN - 1)).toBe(0);
    expect(ask(core, 10n)).toHaveLength(1);
    expect(core.expire(t0 + 3 * MIN)).toBe(1);
    expect(core.nodeCount).toBe(2);
    expect(ask(core, 10n)).toEqual([]);
  });
});

describe('index protocol codecs', () => {
  const report = signNodeReport(crypto, a, body(a.publicKey, [entry(b.publicKey, 2)], 123n, 4n));

  it('round-trips every message', () => {
    const msgs = [
      [indexClientMessage, { kind: 'report', report }],
      [indexClientMessage, { kind: 'route-request', requestId: new Uint8Array(16).fill(9), source: a.publicKey, destination: c.publicKey, currency: 'FST', amount: 10n ** 30n, exclude: { from: a.publicKey, to: b.publicKey } }],
      [indexClientMessage, { kind: 'route-request', requestId: new Uint8Array(16).fill(9), source: a.publicKey, destination: c.publicKey, currency: 'FST', amount: 1n, exclude: undefined }],
      [indexServerMessage, { kind: 'report-ack', time: 123n, counter: 4n, outcome: 'stale' }],
      [indexServerMessage, { kind: 'route-response', requestId: new Uint8Array(16), routes: [{ route: [a.publicKey, c.publicKey], capacity: 5n, rate: { mul: 1, add: 2 } }] }],
      [federationMessage, { kind: 'reports', reports: [report, report] }],
      [federationMessage, { kind: 'keepalive' }],
    ] as const;
    for (const [codec, m] of msgs) {
      const bytes = encode(codec as never, m as never);
      const back = decodeExact(codec as never, bytes);
      expect(back.ok).toBe(true);
      if (back.ok) expect(encode(codec as never, back.value as never)).toEqual(bytes);
    }
  });

  it('rejects duplicate entries, self-friendship, unknown tags, short routes and trailing bytes', () => {
    const dup = encode(signedNodeReport, report);
    expect(decodeExact(signedNodeReport, dup).ok).toBe(true);
    expect(decodeExact(signedNodeReport, Uint8Array.from([...dup, 0])).ok).toBe(false);
    expect(() => encode(signedNodeReport, { ...report, body: { ...report.body, friends: [entry(b.publicKey), entry(b.publicKey)] } })).toThrow(RangeError);
    expect(() => encode(signedNodeReport, { ...report, body: { ...report.body, friends: [entry(a.publicKey)] } })).toThrow(RangeError);
    expect(decodeExact(indexClientMessage, Uint8Array.of(7)).ok).toBe(false);
    const ack = encode(indexServerMessage, { kind: 'report-ack', time: 1n, counter: 1n, outcome: 'accepted' });
    ack[ack.length - 1] = 200;
    expect(decodeExact(indexServerMessage, ack).ok).toBe(false);
    const oneHop = encode(indexServerMessage, { kind: 'route-response', requestId: new Uint8Array(16), routes: [{ route: [a.publicKey, c.publicKey], capacity: 5n, rate: { mul: 1, add: 2 } }] });
    // tag 1, request id 16, route count 4, then the route's key count at byte 21: cut it to one key
    const cut = Uint8Array.from([...oneHop.slice(0, 21), 0, 0, 0, 1, ...oneHop.slice(25, 57), ...oneHop.slice(89)]);
    const r = decodeExact(indexServerMessage, cut);
    expect(r.ok ? 'decoded' : r.error.code).toBe('invalid');
  });
});
