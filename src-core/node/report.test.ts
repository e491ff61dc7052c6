import { describe, expect, it } from 'vitest';
import { applyReportMutations, emptyReport } from '../app/index.ts';
import { nodeBackend } from '../crypto/backend.node.ts';
import { type TestNode, TestNet, makeNode } from '../funder/testkit.ts';
import { capacities } from './capacities.ts';
import { buildReport, createReportCache, diffReport } from './report.ts';
import { emptyNodeConfig } from './wire.ts';

const crypto = nodeBackend;

function pair(): { net: TestNet; a: TestNode; b: TestNode } {
  const net = new TestNet(crypto);
  const a = net.add(makeNode(crypto, 0));
  const b = net.add(makeNode(crypto, 1));
  return { net, a, b };
}

describe('the report built from the funder state', () => {
  it('shows a new friend\'s agreed starting balance before any currency is active', () => {
    const { net, a, b } = pair();
    net.request(a, { kind: 'add-friend', friendPublicKey: b.signer.publicKey, relays: [], name: 'node1', initialBalances: [{ currency: 'FST', balance: 100n }] });
    net.request(a, { kind: 'set-friend-currency-rate', friendPublicKey: b.signer.publicKey, currency: 'FST', rate: { mul: 0, add: 0 } });
    const r = buildReport(a.state, emptyNodeConfig, new Map(), undefined);
    expect(r.friends).toHaveLength(1);
    expect(r.friends[0]).toMatchObject({ name: 'node1', enabled: false, online: false, channel: { kind: 'consistent' } });
    expect(r.friends[0]?.currencies).toEqual([{
      currency: 'FST', balance: 100n, localMaxDebt: 0n, remoteMaxDebt: 0n, localPendingDebt: 0n, remotePendingDebt: 0n,
      rate: { mul: 0, add: 0 }, localRequestsOpen: false, remoteRequestsOpen: false,
    }]);
  });

  it('keeps showing the agreed starting balance of a currency not active yet while the channel is inconsistent', () => {
    const { net, a, b } = pair();
    for (const [x, y, balance] of [[a, b, 7n], [b, a, -7n]] as const) {
      net.request(x, { kind: 'add-friend', friendPublicKey: y.signer.publicKey, relays: [], name: 'f', initialBalances: [{ currency: 'FST2', balance }] });
      net.request(x, { kind: 'enable-friend', friendPublicKey: y.signer.publicKey });
    }
    net.run(a, { kind: 'friend-online', friend: b.signer.publicKey });
    net.run(b, { kind: 'friend-online', friend: a.signer.publicKey });
    net.deliverAll();
    // B forgets A and adds it again without the agreed balance: the channel breaks.
    net.request(b, { kind: 'remove-friend', friendPublicKey: a.signer.publicKey });
    net.request(b, { kind: 'add-friend', friendPublicKey: a.signer.publicKey, relays: [], name: 'f' });
    net.request(b, { kind: 'enable-friend', friendPublicKey: a.signer.publicKey });
    net.run(b, { kind: 'friend-online', friend: a.signer.publicKey });
    net.run(a, { kind: 'friend-offline', friend: b.signer.publicKey });
    net.run(a, { kind: 'friend-online', friend: b.signer.publicKey });
    net.deliverAll();
    const r = buildReport(a.state, emptyNodeConfig, new Map(), undefined).friends[0];
    // the agreed balance is in our terms too: the reset settles it
    expect(r?.channel).toMatchObject({ kind: 'inconsistent', localResetTerms: [{ currency: 'FST2', balance: 7n }] });
    expect(r?.currencies.map((c) => [c.currency, c.balance])).toEqual([['FST2', 7n]]);
  });

  it('takes LMD and RR from the terms the friend sent', () => {
    const { net, a, b } = pair();
    net.request(a, { kind: 'add-friend', friendPublicKey: b.signer.publicKey, relays: [], name: 'n' });
    net.request(a, { kind: 'open-friend-currency', friendPublicKey: b.signer.publicKey, currency: 'FST' });
    const terms = new Map([[b.key, new Map([['FST', { currency: 'FST', maxDebt: 150n, isOpen: true }]])]]);
    const c = buildReport(a.state, emptyNodeConfig, terms, undefined).friends[0]?.currencies[0];
    expect(c).toMatchObject({ localMaxDebt: 150n, remoteRequestsOpen: true, localRequestsOpen: true });
  });

  it('diffs into mutations that take the old report to the new one', () => {
    const { net, a, b } = pair();
    const before = buildReport(a.state, emptyNodeConfig, new Map(), undefined);
    net.request(a, { kind: 'add-friend', friendPublicKey: b.signer.publicKey, relays: [], name: 'n' });
    net.request(a, { kind: 'add-relay', relay: { publicKey: b.signer.publicKey, address: '127.0.0.1:1', name: 'r' } });
    net.request(a, { kind: 'add-invoice', invoiceId: new Uint8Array(32).fill(1), currency: 'FST', totalDestPayment: 5n });
    const mid = buildReport(a.state, { indexServers: [{ publicKey: b.signer.publicKey, address: 'x:1', name: 'i' }], friendOrder: [] }, new Map(), b.signer.publicKey);
    const m1 = diffReport(before, mid);
    expect(applyReportMutations(before, m1)).toEqual(mid);
    net.request(a, { kind: 'remove-friend', friendPublicKey: b.signer.publicKey });
    net.request(a, { kind: 'cancel-invoice', invoiceId: new Uint8Array(32).fill(1) });
    const after = buildReport(a.state, emptyNodeConfig, new Map(), undefined);
    const m2 = diffReport(mid, after);
    expect(applyReportMutations(mid, m2)).toEqual(after);
    expect(diffReport(after, after)).toEqual([]);
    expect(applyReportMutations(emptyReport(a.signer.publicKey), diffReport(emptyReport(a.signer.publicKey), after))).toEqual(after);
  });
});

describe('the relays the node listens on', () => {
  it('lists only configured relays, in their order, and diffs changes into set-connected-relays', () => {
    const { net, a, b } = pair();
    const r1 = new Uint8Array(32).fill(41);
    const r2 = new Uint8Array(32).fill(42);
    net.request(a, { kind: 'add-relay', relay: { publicKey: r1, address: '127.0.0.1:1', name: 'one' } });
    net.request(a, { kind: 'add-relay', relay: { publicKey: r2, address: '127.0.0.1:2', name: 'two' } });
    const none = buildReport(a.state, emptyNodeConfig, new Map(), undefined);
    expect(none.connectedRelays).toBeUndefined();
    const both = buildReport(a.state, emptyNodeConfig, new Map(), undefined, createReportCache(), [r2, b.signer.publicKey, r1]);
    expect(both.connectedRelays).toEqual([r1, r2]);
    expect(diffReport(none, both)).toEqual([{ kind: 'set-connected-relays', publicKeys: [r1, r2] }]);
    expect(diffReport(both, none)).toEqual([{ kind: 'set-connected-relays', publicKeys: undefined }]);
    expect(applyReportMutations(none, diffReport(none, both))).toEqual(both);
    expect(diffReport(both, buildReport(a.state, emptyNodeConfig, new Map(), undefined, createReportCache(), [r1, r2]))).toEqual([]);
  });
});

describe('the report cache', () => {
  it('reuses unchanged entries and still reports every change', () => {
    const { net, a, b } = pair();
    const cache = createReportCache();
    net.request(a, { kind: 'add-friend', friendPublicKey: b.signer.publicKey, relays: [], name: 'n' });
    const r1 = buildReport(a.state, emptyNodeConfig, new Map(), undefined, cache);
    const r2 = buildReport(a.state, emptyNodeConfig, new Map(), undefined, cache);
    expect(r2.friends[0]).toBe(r1.friends[0]);
    expect(diffReport(r1, r2)).toEqual([]);
    net.request(a, { kind: 'set-friend-name', friendPublicKey: b.signer.publicKey, name: 'renamed' });
    net.request(a, { kind: 'open-friend-currency', friendPublicKey: b.signer.publicKey, currency: 'FST' });
    const r3 = buildReport(a.state, emptyNodeConfig, new Map(), undefined, cache);
    expect(applyReportMutations(r2, diffReport(r2, r3)).friends[0]?.name).toBe('renamed');
    const terms = new Map([[b.key, new Map([['FST', { currency: 'FST', maxDebt: 9n, isOpen: true }]])]]);
    const r4 = buildReport(a.state, emptyNodeConfig, terms, undefined, cache);
    expect(r4.friends[0]).not.toBe(r3.friends[0]);
    expect(diffReport(r3, r4)).toHaveLength(1);
  });
});

describe('capacities reported to the index server', () => {
  it('covers only enabled, online friends with an active currency, bounded by the limit we grant', () => {
    const { net, a, b } = pair();
    expect(capacities(a.state).size).toBe(0);
    net.befriend(a, b, ['FST'], 70n);
    const caps = capacities(a.state);
    expect([...caps.values()].map((c) => [c.currency, c.recvCapacity])).toEqual([['FST', 70n]]);
    net.run(a, { kind: 'friend-offline', friend: b.signer.publicKey });
    expect(capacities(a.state).size).toBe(0);
  });
});
