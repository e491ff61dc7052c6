/** query-history and query-friend-token against real nodes over TCP and the secure channel:
 *  pages of durable history rows with receipts that check offline, filters and a cursor, a
 *  read-only ticket allowed to read, hostile request bytes refused, and the friend's last signed
 *  move token, whose balance is the one the app's report shows. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeExact, encode, toBase64Url } from '../../codec/index.ts';
import { nodeBackend as crypto } from '../../crypto/backend.node.ts';
import { identityFromSeed } from '../../crypto/index.ts';
import { NO_PERMISSIONS, formatAppTicket } from '../../files/index.ts';
import { secureChannel, systemClock } from '../../net/index.ts';
import { tcpConnect } from '../../net/tcp.node.ts';
import { verifyCommit, verifyReceipt } from '../../proto/index.ts';
import {
  type HistoryEntry, appToNode, commit as commitCodec, executePayment, nodeToApp, receipt as receiptCodec, verifySignedFriendToken,
} from '../../app/index.ts';
import { Net, type TestNode, balance, connectApp, pay, quote, until } from './harness.ts';

let net: Net;
let b: TestNode;
let s: TestNode;
const READER_SEED = new Uint8Array(32).fill(61);

beforeAll(async () => {
  net = await Net.create(11);
  b = await net.addNode('B', 81);
  s = await net.addNode('S', 82);
  await net.befriend(b, s, 1000n);
  await writeFile(join(b.dir, 'trusted', 'reader.ticket'), formatAppTicket({
    publicKey: identityFromSeed(crypto, READER_SEED).publicKey, permissions: NO_PERMISSIONS,
  }));
  for (const amount of [5n, 7n, 9n]) {
    const out = await pay(b, s.publicKey, amount);
    expect(out.kind).toBe('receipt');
  }
  await until(b.app, () => balance(b.app, s.publicKey) === -21n, 'B to owe S 21');
}, 120_000);
afterAll(async () => { await net.close(); });

describe('query-history on a real node', () => {
  it('pages through the payments, newest first, each with a receipt signed by the seller', async () => {
    const first = await b.app.queryHistory({ kind: 'payment', limit: 2 });
    expect(first.rows.map((r) => r.amount)).toEqual([-9n, -7n]);
    expect(first.next).toBeDefined();
    const second = await b.app.queryHistory({ kind: 'payment', limit: 2, cursor: first.next });
    expect(second.rows.map((r) => r.amount)).toEqual([-5n]);
    expect(second.next).toBeUndefined();
    for (const r of [...first.rows, ...second.rows]) {
      expect(r).toMatchObject({ state: 'success', currency: 'FST', counterpart: toBase64Url(s.publicKey) });
      const rc = decodeExact(receiptCodec, r.data);
      if (!rc.ok) throw new Error(rc.error.message);
      expect(rc.value.totalDestPayment).toBe(-r.amount);
      expect(verifyReceipt(crypto, rc.value, s.publicKey)).toBe(true);
    }
  });

  it('filters by currency, counterpart and time, oldest first on request', async () => {
    expect((await b.app.queryHistory({ currency: 'EUR' })).rows).toEqual([]);
    expect((await b.app.queryHistory({ counterpart: toBase64Url(b.publicKey) })).rows).toEqual([]);
    const asc = await s.app.queryHistory({ order: 'asc' });
    expect(asc.rows.map((r: HistoryEntry) => [r.kind, r.state, r.amount])).toEqual([
      ['received', 'collected', 5n], ['received', 'collected', 7n], ['received', 'collected', 9n],
    ]);
    for (const r of asc.rows) { // the seller's own receipt of the completing part: its signature, the collect's locks
      const rc = decodeExact(receiptCodec, r.data);
      if (!rc.ok) throw new Error(rc.error.message);
      expect(rc.value).toMatchObject({ totalDestPayment: r.amount, currency: 'FST', isComplete: true });
      expect(verifyReceipt(crypto, rc.value, s.publicKey)).toBe(true);
    }
    const t = asc.rows[1]?.time as number;
    const later = await s.app.queryHistory({ order: 'asc', from: t + 1 });
    expect(later.rows.every((r) => r.time > t)).toBe(true);
    const none = await s.app.queryHistory({ to: (asc.rows[0]?.time as number) });
    expect(none.rows).toEqual([]);
  });

  it('answers an app whose ticket grants nothing: history is a read, like the report', async () => {
    const reader = await connectApp(b.address, READER_SEED, b.publicKey, 5);
    try {
      expect(reader.permissions).toEqual(NO_PERMISSIONS);
      const page = await reader.queryHistory({ kind: 'payment' });
      expect(page.rows).toHaveLength(3);
      await expect(reader.request({ kind: 'set-accept-auto-collect', accept: true })).rejects.toMatchObject({ code: 'permission-denied' });
    } finally {
      reader.close();
    }
  });

  it('refuses hostile query bytes with malformed-request and keeps serving', async () => {
    const raw = await tcpConnect(b.address);
    const ch = await secureChannel(raw, { identity: identityFromSeed(crypto, READER_SEED), crypto, clock: systemClock, expectedRemote: b.publicKey });
    try {
      await ch.receive(); // the report
      const good = encode(appToNode, { requestId: new Uint8Array(16).fill(1), request: { kind: 'query-history', filter: {
        kind: undefined, currency: undefined, counterpart: undefined, from: undefined, to: undefined, order: 'desc', limit: 1, cursor: undefined,
      } } });
      const limitAt = good.length - 3; // u16 limit, then the absent cursor
      const zeroLimit = good.slice();
      zeroLimit[limitAt] = 0;
      zeroLimit[limitAt + 1] = 0;
      const badOrder = good.slice();
      badOrder[limitAt - 1] = 9;
      for (const bytes of [zeroLimit, badOrder, good.slice(0, good.length - 1), Uint8Array.of(...good, 0)]) {
        await ch.send(bytes);
        const m = decodeExact(nodeToApp, (await ch.receive()) as Uint8Array);
        expect(m.ok && m.value.kind === 'ack' && m.value.result.kind === 'error' && m.value.result.error.code).toBe('malformed-request');
      }
      await ch.send(good);
      const result = decodeExact(nodeToApp, (await ch.receive()) as Uint8Array);
      expect(result.ok && result.value.kind).toBe('history-result');
      const ack = decodeExact(nodeToApp, (await ch.receive()) as Uint8Array);
      expect(ack.ok && ack.value.kind === 'ack' && ack.value.result.kind).toBe('ok');
    } finally {
      ch.close();
    }
  });
});

describe('query-friend-token on a real node', () => {
  it("gives the friend's last signed token; its balance is the report's, seen from the friend", async () => {
    const t = await b.app.queryFriendToken(s.publicKey);
    if (t === undefined) throw new Error('no token');
    expect(verifySignedFriendToken(crypto, t, s.publicKey)).toBe(true);
    expect(verifySignedFriendToken(crypto, t, b.publicKey)).toBe(false);
    const fst = t.tokenInfo.balances.find((x) => x.currency === 'FST');
    expect(fst?.balance).toBe(21n); // S's view: B owes 21
    expect(-(fst?.balance as bigint)).toBe(balance(b.app, s.publicKey));
    const forged = { ...t, tokenInfo: { ...t.tokenInfo, balances: [{ ...(fst as NonNullable<typeof fst>), balance: 20n }] } };
    expect(verifySignedFriendToken(crypto, forged, s.publicKey)).toBe(false);
  });

  it('refuses an unknown friend', async () => {
    await expect(b.app.queryFriendToken(new Uint8Array(32).fill(3))).rejects.toMatchObject({ code: 'friend-does-not-exist' });
  });
});

describe('history row times', () => {
  it("keep the time a payment closed when the app asks for its status again", async () => {
    const before = (await b.app.queryHistory({ kind: 'payment', limit: 3 })).rows;
    const [last] = before;
    if (last === undefined) throw new Error('no payment');
    const id = last.id.slice('payment:'.length);
    const paymentId = Uint8Array.from(id.match(/../g) as string[], (h) => parseInt(h, 16));
    expect((await b.app.requestClosePayment(paymentId)).kind).toBe('success');
    const after = (await b.app.queryHistory({ kind: 'payment', limit: 3 })).rows;
    expect(after).toEqual(before);
  });
});

describe('a commit kept for the seller', () => {
  it('is in the buyer\'s history as soon as it is made, and gives way to the receipt once collected', async () => {
    const invoiceId = crypto.randomBytes(32);
    await s.app.request({ kind: 'add-invoice', invoiceId, currency: 'FST', totalDestPayment: 4n });
    const paymentId = crypto.randomBytes(16);
    const out = await executePayment(b.app, {
      paymentId, invoiceId, currency: 'FST', totalDestPayment: 4n, destPublicKey: s.publicKey, autoCollect: false,
    }, await quote(b, s.publicKey, 4n), (k) => crypto.randomBytes(k));
    if (out.kind !== 'commit') throw new Error(`expected a commit, got ${out.kind}`);
    const [kept] = (await b.app.queryHistory({ kind: 'payment', limit: 1 })).rows;
    expect(kept).toMatchObject({ state: 'committed', amount: -4n, counterpart: toBase64Url(s.publicKey) });
    const commit = decodeExact(commitCodec, kept?.data ?? new Uint8Array(0));
    if (!commit.ok) throw new Error(commit.error.message);
    expect(commit.value).toEqual(out.commit);
    expect(verifyCommit(crypto, commit.value, s.publicKey)).toBe(true);
    await s.app.request({ kind: 'commit-invoice', commit: commit.value });
    expect((await b.app.requestClosePayment(paymentId)).kind).toBe('success');
    const [closed] = (await b.app.queryHistory({ kind: 'payment', limit: 1 })).rows;
    expect(closed).toMatchObject({ id: kept?.id, state: 'success' });
  }, 60_000);
});
