import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeExact, encode, hostileInputs } from '../codec/index.ts';
import { seededRandom } from '../crypto/index.ts';
import { AppClient, AppConnectionClosedError, AppRequestError } from './client.ts';
import { type AppRequest, type NodeToApp, appToNode, nodeToApp } from './messages.ts';
import type { NodeReport, ReportMutation } from './node-report.ts';
import type { AppPermissions } from './permissions.ts';
import { applyReportMutation, applyReportMutations, emptyReport } from './report.ts';
import * as arb from './test-arbitraries.ts';
import { type AppRequestHandler, AppServerSession, ackError, ackOk } from './server.ts';
import { type MessageTransport, transportPair } from './transport.ts';

const key = (i: number): Uint8Array => new Uint8Array(32).fill(i);
const id16 = (i: number): Uint8Array => new Uint8Array(16).fill(i);
const ALL: AppPermissions = { buyer: true, seller: true, config: true, routes: true };

/** A minimal node behind the real server session: it keeps a report, turns add-relay and
 *  remove-relay into mutations published before the ack, and records every request it sees. */
function relayNode(session: () => AppServerSession): AppRequestHandler & { seen: AppRequest[]; report: NodeReport } {
  const node = {
    seen: [] as AppRequest[],
    report: emptyReport(key(9)),
    async handle(request: AppRequest) {
      node.seen.push(request);
      let m: ReportMutation;
      if (request.kind === 'add-relay') {
        if (node.report.relays.some((r) => r.name === request.relay.name)) return ackError('invalid-request', 'name taken');
        m = { kind: 'add-relay', relay: request.relay };
      } else if (request.kind === 'remove-relay') {
        if (!node.report.relays.some((r) => r.publicKey[0] === request.publicKey[0])) return ackError('relay-not-found', '');
        m = { kind: 'remove-relay', publicKey: request.publicKey };
      } else {
        return ackOk;
      }
      node.report = applyReportMutation(node.report, m);
      await session().send({ kind: 'report-mutations', mutations: [m] });
      return ackOk;
    },
  };
  return node;
}

async function setup(perms: AppPermissions = ALL, handler?: AppRequestHandler) {
  const [appEnd, nodeEnd] = transportPair();
  let session!: AppServerSession;
  const node = relayNode(() => session);
  session = new AppServerSession(nodeEnd, perms, handler ?? node);
  await session.start(node.report);
  const client = await AppClient.connect(appEnd, { random: seededRandom(1) });
  return { client, session, node, appEnd, nodeEnd };
}

const addRelay = (i: number, name: string): AppRequest => ({
  kind: 'add-relay', relay: { publicKey: key(i), address: `127.0.0.1:${9000 + i}`, name },
});

describe('AppClient with AppServerSession', () => {
  it('starts with the permissions and the report the node sent', async () => {
    const { client } = await setup({ ...ALL, seller: false });
    expect(client.permissions.seller).toBe(false);
    expect(client.report.localPublicKey).toEqual(key(9));
  });

  it("resolves a request on its ack, with the request's mutations already in the report", async () => {
    const { client, node } = await setup();
    await client.request(addRelay(1, 'relay0'));
    expect(client.report.relays.map((r) => r.name)).toEqual(['relay0']);
    expect(client.report).toEqual(node.report);
  });

  it("rejects a request with the node's error code", async () => {
    const { client } = await setup();
    const err = await client.request({ kind: 'remove-relay', publicKey: key(5) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppRequestError);
    expect((err as AppRequestError).code).toBe('relay-not-found');
  });

  it('refuses a request the ticket does not permit without reaching the node', async () => {
    const { client, node } = await setup({ ...ALL, buyer: false });
    const err = await client.request({ kind: 'request-close-payment', paymentId: id16(1) }).catch((e: unknown) => e);
    expect((err as AppRequestError).code).toBe('permission-denied');
    expect((err as AppRequestError).message).toContain('buyer');
    expect(node.seen).toEqual([]);
  });

  it('acks a handler failure as internal and goes on serving', async () => {
    let calls = 0;
    const { client } = await setup(ALL, {
      handle() {
        calls++;
        if (calls === 1) throw new Error('disk full');
        return ackOk;
      },
    });
    const err = await client.request({ kind: 'enable-friend', friendPublicKey: key(1) }).catch((e: unknown) => e);
    expect((err as AppRequestError).code).toBe('internal');
    expect((err as AppRequestError).message).toContain('disk full');
    await client.request({ kind: 'enable-friend', friendPublicKey: key(1) });
  });

  it('acknowledges each of many concurrent requests exactly once, in any mix of outcomes', async () => {
    const { client, node } = await setup();
    const reqs = Array.from({ length: 40 }, (_, i) => client.request(addRelay(i % 10, `r${i % 10}`)).then(() => 'ok', (e: AppRequestError) => e.code));
    const outcomes = await Promise.all(reqs);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(10);
    expect(outcomes.filter((o) => o === 'invalid-request')).toHaveLength(30);
    expect(node.seen).toHaveLength(40);
    expect(client.report.relays).toHaveLength(10);
  });

  it('tells report listeners about every mutation batch', async () => {
    const { client } = await setup();
    const seen: (readonly ReportMutation[] | undefined)[] = [];
    const sub = client.onDidChangeReport((c) => seen.push(c.mutations));
    await client.request(addRelay(1, 'a'));
    sub.dispose();
    await client.request(addRelay(2, 'b'));
    expect(seen).toHaveLength(1);
    expect(seen[0]?.[0]?.kind).toBe('add-relay');
  });

  it('gets routes even when the node sends them before the ack', async () => {
    let session!: AppServerSession;
    const [appEnd, nodeEnd] = transportPair();
    session = new AppServerSession(nodeEnd, ALL, {
      async handle(request, ctx) {
        if (request.kind !== 'request-routes') return ackError('invalid-request', '');
        await session.send({
          kind: 'routes-result', requestId: ctx.requestId,
          outcome: { kind: 'success', multiRoutes: [{ routes: [{ route: [request.source, request.destination], capacity: 7n, rate: { mul: 0, add: 1 } }] }] },
        });
        return ackOk;
      },
    });
    await session.start(emptyReport(key(9)));
    const client = await AppClient.connect(appEnd, { random: seededRandom(2) });
    const out = await client.requestRoutes({ currency: 'FST', amount: 5n, destination: key(3) });
    expect(out).toEqual({ kind: 'success', multiRoutes: [{ routes: [{ route: [key(9), key(3)], capacity: 7n, rate: { mul: 0, add: 1 } }] }] });
  });

  it('gets a transaction result that comes after the ack, and a payment status on close', async () => {
    let session!: AppServerSession;
    const [appEnd, nodeEnd] = transportPair();
    const later: NodeToApp[] = [];
    let bothSeen!: () => void;
    const seenBoth = new Promise<void>((r) => { bothSeen = r; });
    session = new AppServerSession(nodeEnd, ALL, {
      handle(request) {
        if (request.kind === 'create-transaction') later.push({ kind: 'transaction-result', transactionId: request.transactionId, outcome: { kind: 'failure' } });
        if (request.kind === 'request-close-payment') later.push({ kind: 'payment-status', paymentId: request.paymentId, status: { kind: 'canceled', ackUid: id16(7) } });
        if (later.length === 2) bothSeen();
        return ackOk;
      },
    });
    await session.start(emptyReport(key(9)));
    const client = await AppClient.connect(appEnd, { random: seededRandom(3) });
    const tx = client.createTransaction({ paymentId: id16(1), transactionId: id16(2), route: [key(9), key(3)], destPayment: 5n, fees: 0n });
    const status = client.requestClosePayment(id16(1));
    await seenBoth;
    for (const m of later) await session.send(m);
    expect(await tx).toEqual({ kind: 'failure' });
    expect(await status).toEqual({ kind: 'canceled', ackUid: id16(7) });
  });

  it('rejects what is pending when the node goes away', async () => {
    const [appEnd, nodeEnd] = transportPair();
    const session = new AppServerSession(nodeEnd, ALL, { handle: () => new Promise(() => {}) }); // never answers
    await session.start(emptyReport(key(9)));
    const client = await AppClient.connect(appEnd, { random: seededRandom(4) });
    const pending = client.request(addRelay(1, 'x'));
    const routes = client.requestRoutes({ currency: 'FST', amount: 1n, destination: key(2) });
    await Promise.resolve();
    session.close();
    await expect(pending).rejects.toBeInstanceOf(AppConnectionClosedError);
    await expect(routes).rejects.toBeInstanceOf(AppConnectionClosedError);
    expect((await client.closed).reason).toBe('closed');
    await expect(client.request(addRelay(2, 'y'))).rejects.toBeInstanceOf(AppConnectionClosedError);
  });

  it('rejects a request that cannot be encoded and sends nothing', async () => {
    const { client, node } = await setup();
    await expect(client.request({ kind: 'add-relay', relay: { publicKey: key(1), address: 'a:1', name: 'n'.repeat(200) } })).rejects.toBeInstanceOf(RangeError);
    await client.request(addRelay(2, 'fine'));
    expect(node.seen).toHaveLength(1);
  });
});

describe('the report an app sees', () => {
  it("equals the node's own report after every acked request, for any snapshot and mutations", async () => {
    await fc.assert(fc.asyncProperty(arb.report, fc.array(fc.array(arb.mutation, { maxLength: 6 }), { maxLength: 4 }), async (start, batches) => {
      const [appEnd, nodeEnd] = transportPair();
      let nodeReport = start;
      let session!: AppServerSession;
      const pending = [...batches];
      session = new AppServerSession(nodeEnd, ALL, {
        async handle() {
          const ms = pending.shift() ?? [];
          nodeReport = applyReportMutations(nodeReport, ms);
          await session.send({ kind: 'report-mutations', mutations: ms });
          return ackOk;
        },
      });
      await session.start(start);
      const client = await AppClient.connect(appEnd, { random: seededRandom(9) });
      expect(client.report).toEqual(start);
      for (let i = 0; i < batches.length; i++) {
        await client.request({ kind: 'set-accept-auto-collect', accept: true });
        expect(client.report).toEqual(nodeReport);
      }
      client.close();
    }), { numRuns: 60 });
  });
});

describe('AppServerSession with a raw app', () => {
  async function rawApp(perms: AppPermissions = ALL) {
    const [appEnd, nodeEnd] = transportPair();
    let session!: AppServerSession;
    const node = relayNode(() => session);
    session = new AppServerSession(nodeEnd, perms, node);
    await session.start(node.report);
    const first = decodeExact(nodeToApp, (await appEnd.receive())!);
    return { appEnd, session, node, first };
  }

  async function nextAck(t: MessageTransport) {
    for (;;) {
      const m = decodeExact(nodeToApp, (await t.receive())!);
      if (!m.ok) throw new Error('bad message from node');
      if (m.value.kind === 'ack') return m.value;
    }
  }

  it('sends the report first', async () => {
    const { first } = await rawApp();
    expect(first.ok && first.value.kind).toBe('report');
  });

  it('acks a malformed request with its id and an error, and keeps the connection', async () => {
    const { appEnd, node } = await rawApp();
    const good = encode(appToNode, { requestId: id16(1), request: addRelay(1, 'r') });
    const bad = good.slice();
    bad[16] = 0xee; // unknown request tag
    await appEnd.send(bad);
    const ack = await nextAck(appEnd);
    expect(ack.requestId).toEqual(id16(1));
    expect(ack.result.kind === 'error' && ack.result.error.code).toBe('malformed-request');
    await appEnd.send(encode(appToNode, { requestId: id16(2), request: addRelay(1, 'r') }));
    expect((await nextAck(appEnd)).result.kind).toBe('ok');
    expect(node.seen).toHaveLength(1);
  });

  it('acks each hostile message that carries a request id exactly once, and keeps serving', async () => {
    const { appEnd } = await rawApp();
    const inputs = hostileInputs().filter((h) => h.bytes.length >= 16);
    // Distinct ids so that every ack can be matched to its message
    const sent = inputs.map((h, i) => { const b = h.bytes.slice(); b.set(id16(i), 0); return b; });
    for (const b of sent) await appEnd.send(b);
    await appEnd.send(encode(appToNode, { requestId: id16(250), request: addRelay(1, 'after') }));
    const acked: number[] = [];
    for (;;) {
      const ack = await nextAck(appEnd);
      if (ack.requestId[0] === 250) { expect(ack.result.kind).toBe('ok'); break; }
      acked.push(ack.requestId[0] as number);
    }
    expect(acked).toEqual(sent.map((_, i) => i));
  });

  it('closes a connection that sends fewer bytes than a request id', async () => {
    const { appEnd, session } = await rawApp();
    await appEnd.send(Uint8Array.of(1, 2, 3));
    await session.done;
    expect(session.closed).toBe(true);
    expect(await appEnd.receive()).toBeUndefined();
  });
});

describe('AppClient with a scripted node', () => {
  async function scripted(first: NodeToApp | Uint8Array) {
    const [appEnd, nodeEnd] = transportPair();
    await nodeEnd.send(first instanceof Uint8Array ? first : encode(nodeToApp, first));
    return { appEnd, nodeEnd };
  }
  const hello: NodeToApp = { kind: 'report', permissions: ALL, report: emptyReport(key(9)) };

  it('refuses to connect when the first message is not a report', async () => {
    const { appEnd } = await scripted({ kind: 'report-mutations', mutations: [] });
    await expect(AppClient.connect(appEnd, { random: seededRandom(5) })).rejects.toMatchObject({ reason: 'protocol-error' });
  });

  it('refuses to connect when the node closes first', async () => {
    const [appEnd, nodeEnd] = transportPair();
    nodeEnd.close();
    await expect(AppClient.connect(appEnd, { random: seededRandom(5) })).rejects.toMatchObject({ reason: 'closed' });
  });

  it('closes with a protocol error on an ack nobody waits for', async () => {
    const { appEnd, nodeEnd } = await scripted(hello);
    const client = await AppClient.connect(appEnd, { random: seededRandom(5) });
    const pending = client.request(addRelay(1, 'x'));
    await nodeEnd.send(encode(nodeToApp, { kind: 'ack', requestId: id16(0xab), result: { kind: 'ok' } }));
    await expect(pending).rejects.toMatchObject({ reason: 'protocol-error' });
    expect((await client.closed).message).toContain('not waiting');
  });

  it('closes with a protocol error on a malformed message', async () => {
    const { appEnd, nodeEnd } = await scripted(hello);
    const client = await AppClient.connect(appEnd, { random: seededRandom(5) });
    await nodeEnd.send(Uint8Array.of(2, 0, 0, 0, 1, 99));
    const why = await client.closed;
    expect(why.reason).toBe('protocol-error');
    expect(why.message).toContain('malformed');
  });

  it('uses a fresh id for each request', async () => {
    const { appEnd, nodeEnd } = await scripted(hello);
    const client = await AppClient.connect(appEnd, { random: seededRandom(6) });
    void client.request(addRelay(1, 'a')).catch(() => {});
    void client.request(addRelay(1, 'a')).catch(() => {});
    const ids = [];
    for (let i = 0; i < 2; i++) {
      const m = decodeExact(appToNode, (await nodeEnd.receive())!);
      expect(m.ok).toBe(true);
      if (m.ok) ids.push(m.value.requestId);
    }
    expect(ids[0]).not.toEqual(ids[1]);
    client.close();
  });
});
