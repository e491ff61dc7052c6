import { describe, expect, it } from 'vitest';
import { seededRandom } from '../crypto/index.ts';
import type { Commit, Receipt } from '../proto/index.ts';
import { executePayment, planPayment, quotePayment, type PaymentOrder } from './buyer.ts';
import { AppClient } from './client.ts';
import type { AckResult, AppRequest, MultiRoute, NodeToApp } from './messages.ts';
import { emptyReport } from './report.ts';
import { AppServerSession, ackError, ackOk } from './server.ts';
import { transportPair } from './transport.ts';

const key = (i: number): Uint8Array => new Uint8Array(32).fill(i);
const id16 = (i: number): Uint8Array => new Uint8Array(16).fill(i);
const ME = key(9);
const DEST = key(5);
const route = (...mids: number[]): Uint8Array[] => [ME, ...mids.map(key), DEST];
const ONE_PERCENT = Math.floor(2 ** 32 / 100);

describe('planPayment', () => {
  it('sends everything along one route that can carry it, with its fee', () => {
    const mr: MultiRoute = { routes: [{ route: route(1), capacity: 1000n, rate: { mul: 0, add: 3 } }] };
    expect(planPayment([mr], 50n)).toEqual({ parts: [{ route: route(1), destPayment: 50n, fees: 3n }], totalFees: 3n });
  });

  it('splits evenly across routes, filling the smallest first, and sums the fees', () => {
    const mr: MultiRoute = {
      routes: [
        { route: route(1), capacity: 90n, rate: { mul: ONE_PERCENT, add: 0 } },
        { route: route(2), capacity: 30n, rate: { mul: 0, add: 1 } },
      ],
    };
    const plan = planPayment([mr], 100n); // neither route carries 100 alone
    expect(plan?.parts.map((p) => p.destPayment)).toEqual([29n, 71n]); // 29 + fee 1 fills the small route
    expect(plan?.parts.reduce((s, p) => s + p.destPayment, 0n)).toBe(100n);
    expect(plan?.totalFees).toBe(1n + 0n); // 71 · 1% floors to 0
  });

  it('sends the whole amount along one route when one can carry it, rather than split it', () => {
    const mr: MultiRoute = {
      routes: [
        { route: route(1), capacity: 30n, rate: { mul: 0, add: 0 } },
        { route: route(2), capacity: 1000n, rate: { mul: 0, add: 1 } },
      ],
    };
    expect(planPayment([mr], 100n)).toEqual({ parts: [{ route: route(2), destPayment: 100n, fees: 1n }], totalFees: 1n });
  });

  it('takes the cheapest of the routes that can carry it alone, then the index order', () => {
    const dear: MultiRoute = { routes: [{ route: route(1), capacity: 100n, rate: { mul: 0, add: 5 } }] };
    const cheap: MultiRoute = { routes: [{ route: route(2), capacity: 100n, rate: { mul: 0, add: 2 } }] };
    const alsoCheap: MultiRoute = { routes: [{ route: route(3), capacity: 100n, rate: { mul: 0, add: 2 } }] };
    expect(planPayment([dear, cheap, alsoCheap], 50n)?.parts[0]?.route).toEqual(route(2));
    const small: MultiRoute = { routes: [{ route: route(1), capacity: 10n, rate: { mul: 0, add: 0 } }] };
    expect(planPayment([small, cheap], 50n)?.parts[0]?.route).toEqual(route(2));
  });

  it('gives up when no multi-route can carry the amount after fees, or the amount is zero', () => {
    const mr: MultiRoute = { routes: [{ route: route(1), capacity: 50n, rate: { mul: 0, add: 1 } }] };
    expect(planPayment([mr], 50n)).toBeUndefined();
    expect(planPayment([mr], 49n)?.totalFees).toBe(1n);
    expect(planPayment([mr], 0n)).toBeUndefined();
    expect(planPayment([], 1n)).toBeUndefined();
  });
});

function commitFor(order: PaymentOrder): Commit {
  return {
    responseHash: new Uint8Array(32), srcPlainLock: new Uint8Array(32).fill(1), destHashedLock: new Uint8Array(32), destPayment: order.totalDestPayment,
    totalDestPayment: order.totalDestPayment, invoiceId: order.invoiceId, currency: order.currency, signature: new Uint8Array(64),
  };
}
function receiptFor(order: PaymentOrder): Receipt {
  return {
    responseHash: new Uint8Array(32), invoiceId: order.invoiceId, currency: order.currency, srcPlainLock: new Uint8Array(32),
    destPlainLock: new Uint8Array(32), isComplete: true, destPayment: order.totalDestPayment, totalDestPayment: order.totalDestPayment,
    signature: new Uint8Array(64),
  };
}

/** A node that answers the buyer's requests as the funder does (reference/funder.md §6.1). It
 *  sends each result while handling the request, so before the request's ack: the client must
 *  cope with that order too (client.test.ts covers results that follow the ack). */
async function buyerNode(script: {
  readonly autoCollect: boolean; readonly failPart?: number; readonly refuseCreate?: boolean; readonly routes?: NodeToApp & { kind: 'routes-result' };
}) {
  const [appEnd, nodeEnd] = transportPair();
  const seen: AppRequest[] = [];
  let session!: AppServerSession;
  let parts = 0;
  let order: PaymentOrder | undefined;
  session = new AppServerSession(nodeEnd, { buyer: true, seller: false, config: false, routes: true }, {
    async handle(request, ctx): Promise<AckResult> {
      seen.push(request);
      switch (request.kind) {
        case 'request-routes':
          await session.send({ kind: 'routes-result', requestId: ctx.requestId, outcome: script.routes?.outcome ?? { kind: 'failure' } });
          return ackOk;
        case 'create-payment':
          if (script.refuseCreate === true) return ackError('payment-already-open', '');
          order = { ...request };
          return ackOk;
        case 'create-transaction': {
          const n = parts++;
          // The last part completes the invoice; a failed part cancels back
          const outcome = n === script.failPart ? { kind: 'failure' as const }
            : n === 1 ? { kind: 'complete' as const, commit: commitFor(order!) } : { kind: 'success' as const };
          await session.send({ kind: 'transaction-result', transactionId: request.transactionId, outcome });
          return ackOk;
        }
        case 'request-close-payment': {
          const canceled = script.failPart !== undefined;
          if (canceled || script.autoCollect) {
            await session.send({
              kind: 'payment-status', paymentId: request.paymentId,
              status: canceled ? { kind: 'canceled', ackUid: id16(8) } : { kind: 'success', receipt: receiptFor(order!), ackUid: id16(8) },
            });
          }
          return ackOk;
        }
        case 'ack-close-payment':
          return request.ackUid[0] === 8 ? ackOk : ackError('ack-mismatch', '');
        default:
          return ackError('invalid-request', '');
      }
    },
  });
  await session.start(emptyReport(ME));
  const client = await AppClient.connect(appEnd, { random: seededRandom(21) });
  return { client, seen };
}

const order = (autoCollect: boolean): PaymentOrder => ({
  paymentId: id16(1), invoiceId: key(7), currency: 'FST', totalDestPayment: 60n, destPublicKey: DEST, autoCollect,
});
const twoParts = planPayment([{
  routes: [{ route: route(1), capacity: 40n, rate: { mul: 0, add: 1 } }, { route: route(2), capacity: 40n, rate: { mul: 0, add: 2 } }],
}], 60n)!; // neither route carries 60 alone

const run = (node: Awaited<ReturnType<typeof buyerNode>>, o: PaymentOrder) => executePayment(node.client, o, twoParts, seededRandom(5));

describe('executePayment', () => {
  it('returns the receipt of an auto-collected payment with the planned fees, leaving the ack to the caller', async () => {
    const node = await buyerNode({ autoCollect: true });
    const out = await run(node, order(true));
    expect(out.kind).toBe('receipt');
    if (out.kind === 'receipt') {
      expect(out.fees).toBe(3n);
      expect(out.receipt.destPayment).toBe(60n);
      expect(out.ackUid).toEqual(id16(8));
    }
    expect(node.seen.map((r) => r.kind)).toEqual(['create-payment', 'create-transaction', 'create-transaction', 'request-close-payment']);
    const [, a, b] = node.seen;
    const sent = [a, b].map((r) => (r?.kind === 'create-transaction' ? [r.destPayment, r.fees] : []));
    expect(sent.sort((x, y) => Number((x[1] ?? 0n) - (y[1] ?? 0n)))).toEqual([[30n, 1n], [30n, 2n]]);
  });

  it('returns the commit for the seller when the destination does not collect by itself', async () => {
    const node = await buyerNode({ autoCollect: false });
    const out = await run(node, order(false));
    expect(out.kind).toBe('commit');
    if (out.kind === 'commit') expect(out.commit.totalDestPayment).toBe(60n);
  });

  it('reports a canceled payment when a part fails, and acknowledges it', async () => {
    const node = await buyerNode({ autoCollect: true, failPart: 0 });
    expect(await run(node, order(true))).toEqual({ kind: 'canceled' });
    expect(node.seen.at(-1)).toEqual({ kind: 'ack-close-payment', paymentId: id16(1), ackUid: id16(8) });
  });

  it("passes the node's refusal of the payment on, sending no transaction", async () => {
    const node = await buyerNode({ autoCollect: true, refuseCreate: true });
    const out = await run(node, order(true));
    expect(out.kind === 'refused' && out.error.code).toBe('payment-already-open');
    expect(node.seen.map((r) => r.kind)).toEqual(['create-payment']);
  });
});

describe('quotePayment', () => {
  const quote = (node: Awaited<ReturnType<typeof buyerNode>>) => quotePayment(node.client, { destination: DEST, currency: 'FST', amount: 50n });

  it('says routes-failed when the index has no answer', async () => {
    const node = await buyerNode({ autoCollect: true });
    expect(await quote(node)).toEqual({ ok: false, error: { kind: 'routes-failed' } });
    expect(node.seen[0]).toMatchObject({ kind: 'request-routes', source: ME, destination: DEST, amount: 50n });
  });

  it('says no-route when the routes cannot carry the amount, and plans when they can', async () => {
    const routes = (capacity: bigint): NodeToApp & { kind: 'routes-result' } => ({
      kind: 'routes-result', requestId: new Uint8Array(16),
      outcome: { kind: 'success', multiRoutes: [{ routes: [{ route: route(1), capacity, rate: { mul: 0, add: 1 } }] }] },
    });
    expect(await quote(await buyerNode({ autoCollect: true, routes: routes(50n) }))).toEqual({ ok: false, error: { kind: 'no-route' } });
    const ok = await quote(await buyerNode({ autoCollect: true, routes: routes(51n) }));
    expect(ok.ok && ok.value.totalFees).toBe(1n);
  });
});
