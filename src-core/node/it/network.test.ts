/** Fees and routes end to end (issue 6 item 5): real nodes over real TCP through a relay, routes
 *  from a real index server. Balances are checked on every node, from both sides of every
 *  friendship. */
import { afterEach, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../codec/index.ts';
import { calcFee } from '../../funder/index.ts';
import { type Net as NetT, Net, type TestNode, balance, pay, quote, until } from './harness.ts';
import { poll } from './procs.ts';

let net: NetT | undefined;
afterEach(async () => { await net?.close(); net = undefined; });

/** Waits until both sides of a friendship show `b` (as seen from `x`) and `-b`. */
async function mirrored(x: TestNode, y: TestNode, b: bigint): Promise<void> {
  await until(x.app, (r) => r.friends.some((f) => f.publicKey.every((v, i) => v === y.publicKey[i]) && f.currencies[0]?.balance === b), `${x.name}→${y.name} = ${b}`);
  await until(y.app, (r) => r.friends.some((f) => f.publicKey.every((v, i) => v === x.publicKey[i]) && f.currencies[0]?.balance === -b), `${y.name}→${x.name} = ${-b}`);
}

describe('payments across nodes', () => {
  it('pays B→C→D→E with fees on C and D; each mediator earns its configured fee, the buyer sees it first', async () => {
    net = await Net.create(1);
    const b = await net.addNode('B', 1);
    const c = await net.addNode('C', 2);
    const d = await net.addNode('D', 3);
    const e = await net.addNode('E', 4);
    const rateC = { mul: 0, add: 1 };              // C charges B's requests 1
    const rateD = { mul: 1 << 28, add: 2 };        // D charges C's requests 1/16 of the amount + 2
    await net.befriend(b, c, 1000n, { b: rateC });
    await net.befriend(c, d, 1000n, { b: rateD });
    await net.befriend(d, e, 1000n);

    const amount = 160n;
    const feeC = calcFee(rateC, amount) as bigint; // 1
    const feeD = calcFee(rateD, amount) as bigint; // 160/16 + 2 = 12
    const plan = await quote(b, e.publicKey, amount);
    // The quote is what the buyer confirms; it prices every mediator before anything moves
    expect(plan.parts).toHaveLength(1);
    expect(plan.parts[0]?.route.length).toBe(4);
    expect(plan.totalFees).toBe(feeC + feeD);
    expect(balance(b.app, c.publicKey)).toBe(0n);

    const outcome = await pay(b, e.publicKey, amount, plan);
    expect(outcome.kind).toBe('receipt');
    await mirrored(b, c, -(amount + feeC + feeD));
    await mirrored(c, d, -(amount + feeD));
    await mirrored(d, e, -amount);
    // what stays with each mediator: its own fee, no more, no less
    const net0 = (x: TestNode, friends: TestNode[]): bigint => friends.reduce((s, f) => s + (balance(x.app, f.publicKey) as bigint), 0n);
    expect(net0(c, [b, d])).toBe(feeC);
    expect(net0(d, [c, e])).toBe(feeD);
    expect(net0(e, [d])).toBe(amount);
    expect(net0(b, [c])).toBe(-(amount + feeC + feeD));
  }, 120_000);

  it('splits a payment that no single route can carry over two routes', async () => {
    net = await Net.create(2);
    const b = await net.addNode('B', 11);
    const c = await net.addNode('C', 12);
    const d = await net.addNode('D', 13);
    const e = await net.addNode('E', 14);
    await net.befriend(b, c, 6n);
    await net.befriend(b, d, 6n);
    await net.befriend(c, e, 6n);
    await net.befriend(d, e, 6n);

    const plan = await quote(b, e.publicKey, 10n);
    expect(plan.parts.length).toBe(2);
    expect(plan.parts.reduce((s, p) => s + p.destPayment, 0n)).toBe(10n);
    const outcome = await pay(b, e.publicKey, 10n, plan);
    expect(outcome.kind).toBe('receipt');
    const viaC = plan.parts.find((p) => p.route[1]?.every((v, i) => v === c.publicKey[i]))?.destPayment ?? 0n;
    const viaD = 10n - viaC;
    await mirrored(b, c, -viaC);
    await mirrored(b, d, -viaD);
    await mirrored(c, e, -viaC);
    await mirrored(d, e, -viaD);
    expect(viaC > 0n && viaD > 0n).toBe(true);
    // the seller's history names the friends whose channels delivered the parts (for statements)
    const shares = [{ friend: toBase64Url(c.publicKey), amount: viaC }, { friend: toBase64Url(d.publicKey), amount: viaD }]
      .sort((x, y) => (x.friend < y.friend ? -1 : 1));
    const received = (await e.app.queryHistory({ kind: 'received' })).rows;
    expect(received.map((r) => ({ amount: r.amount, state: r.state, via: r.via }))).toEqual([{ amount: 10n, state: 'collected', via: shares }]);
    // and the buyer's, which friends' channels carried the parts: counted as each part's Collect came back
    const paid = await poll('both parts in the payment row', async () => {
      const rows = (await b.app.queryHistory({ kind: 'payment' })).rows;
      return rows[0]?.via.length === 2 ? rows : undefined;
    }, 10_000, 50);
    expect(paid.map((r) => ({ amount: r.amount, state: r.state, via: r.via }))).toEqual([{ amount: -10n, state: 'success', via: shares }]);
  }, 120_000);
});
