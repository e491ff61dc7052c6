/** Several currencies with one friend, and the reset of a channel whose two sides disagree
 *  (here: starting balances entered inconsistently), through the app protocol on real nodes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executePayment, findFriend, quotePayment } from '../../app/index.ts';
import { nodeBackend as crypto } from '../../crypto/backend.node.ts';
import { Net, type TestNode, balance, until } from './harness.ts';

let net: Net;
let a: TestNode;
let b: TestNode;
beforeAll(async () => {
  net = await Net.create(9);
  a = await net.addNode('A', 91);
  b = await net.addNode('B', 92);
});
afterAll(async () => { await net.close(); });

const relayOf = (): { publicKey: Uint8Array; address: string } => ({ publicKey: net.relaySigner.publicKey, address: net.relay.address });

describe('currencies and resets', () => {
  it('settles a disagreement on starting balances by a reset on the friend\'s terms', async () => {
    await a.app.request({ kind: 'add-friend', friendPublicKey: b.publicKey, name: 'B', relays: [relayOf()], initialBalances: [{ currency: 'FST', balance: 100n }] });
    await b.app.request({ kind: 'add-friend', friendPublicKey: a.publicKey, name: 'A', relays: [relayOf()], initialBalances: [{ currency: 'FST', balance: -40n }] });
    for (const [x, y] of [[a, b], [b, a]] as const) await x.app.request({ kind: 'enable-friend', friendPublicKey: y.publicKey });
    // Each side sees the channel inconsistent, with both sides' terms once they have been exchanged
    await until(a.app, (r) => {
      const ch = findFriend(r, b.publicKey)?.channel;
      return ch?.kind === 'inconsistent' && ch.remoteResetTerms !== undefined;
    }, 'A to see B\'s reset terms');
    const ch = findFriend(a.app.report, b.publicKey)?.channel;
    if (ch?.kind !== 'inconsistent' || ch.remoteResetTerms === undefined) throw new Error('expected reset terms');
    expect(ch.remoteResetTerms.balanceForReset).toEqual([{ currency: 'FST', balance: -40n }]);
    // A accepts B's view: A's balance becomes 40
    await a.app.request({ kind: 'reset-friend-channel', friendPublicKey: b.publicKey, resetToken: ch.remoteResetTerms.resetToken });
    await until(a.app, (r) => findFriend(r, b.publicKey)?.channel.kind === 'consistent' && balance(a.app, b.publicKey) === 40n, 'A consistent at 40');
    await until(b.app, (r) => findFriend(r, a.publicKey)?.channel.kind === 'consistent' && balance(b.app, a.publicKey) === -40n, 'B consistent at -40');
  }, 60_000);

  it('adds a second currency, pays in it, and refuses to remove it while it holds a balance', async () => {
    for (const [x, y] of [[a, b], [b, a]] as const) {
      await x.app.request({ kind: 'add-friend-currency', friendPublicKey: y.publicKey, currency: 'USD' });
      await x.app.request({ kind: 'add-friend-currency', friendPublicKey: y.publicKey, currency: 'USD' }); // idempotent
      await x.app.request({ kind: 'set-friend-currency-max-debt', friendPublicKey: y.publicKey, currency: 'USD', remoteMaxDebt: 500n });
      await x.app.request({ kind: 'open-friend-currency', friendPublicKey: y.publicKey, currency: 'USD' });
    }
    const usd = (x: TestNode, y: TestNode) => findFriend(x.app.report, y.publicKey)?.currencies.find((c) => c.currency === 'USD');
    await until(a.app, () => usd(a, b)?.remoteRequestsOpen === true && usd(a, b)?.localMaxDebt === 500n, 'A to see USD open at B');
    await until(b.app, () => usd(b, a)?.remoteRequestsOpen === true, 'B to see USD open at A');
    let plan;
    for (let i = 0; i < 300 && plan === undefined; i++) {
      const q = await quotePayment(a.app, { destination: b.publicKey, currency: 'USD', amount: 25n });
      if (q.ok) plan = q.value; else await new Promise((r) => setTimeout(r, 100));
    }
    if (plan === undefined) throw new Error('no USD route');
    const out = await executePayment(a.app, {
      paymentId: crypto.randomBytes(16), invoiceId: crypto.randomBytes(32), currency: 'USD', totalDestPayment: 25n, destPublicKey: b.publicKey, autoCollect: true,
    }, plan, (k) => crypto.randomBytes(k));
    expect(out.kind).toBe('receipt');
    await until(b.app, () => usd(b, a)?.balance === 25n, 'B to hold 25 USD');
    expect(usd(a, b)?.balance).toBe(-25n);
    expect(balance(a.app, b.publicKey)).toBe(40n); // FST untouched
    const e = await a.app.request({ kind: 'remove-friend-currency', friendPublicKey: b.publicKey, currency: 'USD' }).catch((x: unknown) => x);
    expect((e as { code?: string }).code).toBe('can-not-remove-active-currency');
    expect(usd(a, b)?.balance).toBe(-25n);
  }, 60_000);
});
