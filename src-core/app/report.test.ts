import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeExact, encode } from '../codec/index.ts';
import { type FriendCurrencyReport, type FriendReport, type NodeReport, type ReportMutation, nodeReport } from './node-report.ts';
import { applyReportMutation, applyReportMutations, emptyReport, findFriend, findFriendByName } from './report.ts';
import * as arb from './test-arbitraries.ts';

const key = (i: number): Uint8Array => new Uint8Array(32).fill(i);
const id16 = (i: number): Uint8Array => new Uint8Array(16).fill(i);

function cur(currency: string, balance = 0n): FriendCurrencyReport {
  return {
    currency, balance, localMaxDebt: 0n, remoteMaxDebt: 0n, localPendingDebt: 0n, remotePendingDebt: 0n,
    rate: { mul: 0, add: 0 }, localRequestsOpen: false, remoteRequestsOpen: false,
  };
}

function friend(i: number, name: string, currencies: FriendCurrencyReport[] = []): FriendReport {
  return { publicKey: key(i), name, relays: [], enabled: false, online: false, channel: { kind: 'consistent' }, currencies };
}

function base(): NodeReport {
  return {
    ...emptyReport(key(99)),
    relays: [{ publicKey: key(1), address: '127.0.0.1:9000', name: 'relay0' }],
    indexServers: [{ publicKey: key(2), address: '127.0.0.1:9100', name: 'index0' }],
    friends: [friend(3, 'node1', [cur('FST', 100n)]), friend(4, 'node2')],
  };
}

type Case = [string, ReportMutation, (r: NodeReport) => unknown, unknown];
const cases: Case[] = [
  ['add-relay appends a new relay', { kind: 'add-relay', relay: { publicKey: key(5), address: 'a:1', name: 'r5' } },
    (r) => r.relays.map((x) => x.name), ['relay0', 'r5']],
  ['add-relay replaces a relay with the same key in place', { kind: 'add-relay', relay: { publicKey: key(1), address: 'b:2', name: 'renamed' } },
    (r) => r.relays.map((x) => [x.name, x.address]), [['renamed', 'b:2']]],
  ['remove-relay removes it', { kind: 'remove-relay', publicKey: key(1) }, (r) => r.relays.length, 0],
  ['add-index-server appends', { kind: 'add-index-server', server: { publicKey: key(6), address: 'i:1', name: 'index1' } },
    (r) => r.indexServers.map((x) => x.name), ['index0', 'index1']],
  ['remove-index-server removes it', { kind: 'remove-index-server', publicKey: key(2) }, (r) => r.indexServers.length, 0],
  ['set-connected-index-server marks the server', { kind: 'set-connected-index-server', publicKey: key(2) },
    (r) => r.connectedIndexServer, key(2)],
  ['set-connected-relays marks the relays listened on', { kind: 'set-connected-relays', publicKeys: [key(1)] },
    (r) => r.connectedRelays, [key(1)]],
  ['add-friend appends a friend after the others', { kind: 'add-friend', friend: friend(7, 'node7') },
    (r) => r.friends.map((f) => f.name), ['node1', 'node2', 'node7']],
  ['add-friend of a known key replaces that friend in place', { kind: 'add-friend', friend: friend(3, 'again') },
    (r) => r.friends.map((f) => f.name), ['again', 'node2']],
  ['remove-friend removes it', { kind: 'remove-friend', publicKey: key(3) }, (r) => r.friends.map((f) => f.name), ['node2']],
  ['set-friend-name renames', { kind: 'set-friend-name', publicKey: key(4), name: 'bob' }, (r) => r.friends[1]?.name, 'bob'],
  ['set-friend-relays replaces the relays', { kind: 'set-friend-relays', publicKey: key(4), relays: [{ publicKey: key(1), address: 'x:1' }] },
    (r) => r.friends[1]?.relays.length, 1],
  ['set-friend-enabled enables', { kind: 'set-friend-enabled', publicKey: key(3), enabled: true }, (r) => r.friends[0]?.enabled, true],
  ['set-friend-online marks online', { kind: 'set-friend-online', publicKey: key(3), online: true }, (r) => r.friends[0]?.online, true],
  ['set-friend-channel marks inconsistent', {
    kind: 'set-friend-channel', publicKey: key(3),
    channel: { kind: 'inconsistent', localResetTerms: [{ currency: 'FST', balance: 1n }], remoteResetTerms: undefined },
  }, (r) => r.friends[0]?.channel.kind, 'inconsistent'],
  ['set-friend-currency updates a known currency', { kind: 'set-friend-currency', publicKey: key(3), currency: cur('FST', 50n) },
    (r) => r.friends[0]?.currencies.map((c) => c.balance), [50n]],
  ['set-friend-currency inserts a new currency in sorted place', { kind: 'set-friend-currency', publicKey: key(3), currency: cur('EUR') },
    (r) => r.friends[0]?.currencies.map((c) => c.currency), ['EUR', 'FST']],
  ['remove-friend-currency removes it', { kind: 'remove-friend-currency', publicKey: key(3), currency: 'FST' },
    (r) => r.friends[0]?.currencies.length, 0],
  ['set-open-invoice adds an invoice', {
    kind: 'set-open-invoice', invoice: { invoiceId: key(8), currency: 'FST', totalDestPayment: 60n, paidDestPayment: 0n },
  }, (r) => r.openInvoices.map((i) => i.totalDestPayment), [60n]],
  ['set-open-payment adds a payment', {
    kind: 'set-open-payment', payment: {
      paymentId: id16(1), invoiceId: key(8), currency: 'FST', totalDestPayment: 60n, destPublicKey: key(3), stage: 'in-progress', numTransactions: 2,
    },
  }, (r) => r.openPayments.map((p) => p.stage), ['in-progress']],
];

describe('applyReportMutation', () => {
  it.each(cases)('%s', (_name, m, view, expected) => {
    const before = base();
    const snapshot = structuredClone(before);
    expect(view(applyReportMutation(before, m))).toEqual(expected);
    expect(before).toEqual(snapshot); // the input report is never modified
  });

  it.each<[string, ReportMutation]>([
    ['remove-relay', { kind: 'remove-relay', publicKey: key(50) }],
    ['remove-index-server', { kind: 'remove-index-server', publicKey: key(50) }],
    ['remove-friend', { kind: 'remove-friend', publicKey: key(50) }],
    ['set-friend-name', { kind: 'set-friend-name', publicKey: key(50), name: 'x' }],
    ['set-friend-relays', { kind: 'set-friend-relays', publicKey: key(50), relays: [] }],
    ['set-friend-enabled', { kind: 'set-friend-enabled', publicKey: key(50), enabled: true }],
    ['set-friend-online', { kind: 'set-friend-online', publicKey: key(50), online: true }],
    ['set-friend-channel', { kind: 'set-friend-channel', publicKey: key(50), channel: { kind: 'consistent' } }],
    ['set-friend-currency', { kind: 'set-friend-currency', publicKey: key(50), currency: cur('FST') }],
    ['remove-friend-currency', { kind: 'remove-friend-currency', publicKey: key(3), currency: 'NOPE' }],
    ['remove-open-invoice', { kind: 'remove-open-invoice', invoiceId: key(50) }],
    ['remove-open-payment', { kind: 'remove-open-payment', paymentId: id16(50) }],
  ])('leaves the report unchanged when %s names something unknown', (_name, m) => {
    const r = base();
    expect(applyReportMutation(r, m)).toBe(r);
  });

  it('ignores a mutation kind it does not know instead of throwing', () => {
    const r = base();
    expect(applyReportMutation(r, { kind: 'from-the-future' } as unknown as ReportMutation)).toBe(r);
  });

  it('never throws and keeps the report canonical for any sequence of mutations', () => {
    fc.assert(fc.property(arb.report, fc.array(arb.mutation, { maxLength: 30 }), (r, ms) => {
      const out = applyReportMutations(r, ms);
      const back = decodeExact(nodeReport, encode(nodeReport, out));
      expect(back.ok).toBe(true);
    }), { numRuns: 300 });
  });

  it('gives the same report when a mutation is applied twice (every mutation is an upsert or a removal)', () => {
    fc.assert(fc.property(arb.report, arb.mutation, (r, m) => {
      const once = applyReportMutation(r, m);
      expect(applyReportMutation(once, m)).toEqual(once);
    }), { numRuns: 500 });
  });
});

describe('report lookups', () => {
  it('finds a friend by name and by public key', () => {
    const r = base();
    expect(findFriendByName(r, 'node2')?.publicKey).toEqual(key(4));
    expect(findFriend(r, key(3))?.name).toBe('node1');
    expect(findFriendByName(r, 'nobody')).toBeUndefined();
  });
});
