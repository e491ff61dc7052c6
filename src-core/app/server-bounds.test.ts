/** What one app can make the node hold: at most MAX_REQUESTS_IN_FLIGHT unanswered requests (the
 *  session stops reading, so a flooding app's socket fills), and at most a bounded number of bytes
 *  queued towards an app that does not read (then it is cut off). */
import { afterEach, describe, expect, it } from 'vitest';
import { encode } from '../codec/index.ts';
import { nodeBackend as crypto } from '../crypto/backend.node.ts';
import { identityFromSeed } from '../crypto/index.ts';
import { type FrameStream, type SecureChannel, secureChannel, systemClock } from '../net/index.ts';
import { tcpConnect, tcpListen } from '../net/tcp.node.ts';
import { type AckResult, appToNode } from './messages.ts';
import { emptyReport } from './report.ts';
import { AppServerSession, MAX_REQUESTS_IN_FLIGHT, ackError, ackOk } from './server.ts';
import { transportPair } from './transport.ts';

const ALL = { buyer: true, seller: true, config: true, routes: true };
const nodeId = identityFromSeed(crypto, new Uint8Array(32).fill(1));
const appId = identityFromSeed(crypto, new Uint8Array(32).fill(2));
const request = (i: number): Uint8Array => {
  const requestId = new Uint8Array(16);
  new DataView(requestId.buffer).setUint32(0, i);
  return encode(appToNode, { requestId, request: { kind: 'set-accept-auto-collect', accept: true } });
};
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

const cleanup: (() => void)[] = [];
afterEach(() => { for (const f of cleanup.splice(0)) f(); });

describe('AppServerSession bounds', () => {
  it(`hands the node at most ${MAX_REQUESTS_IN_FLIGHT} requests at once and reads on as they are answered`, async () => {
    const [appEnd, nodeEnd] = transportPair();
    const pending: ((r: AckResult) => void)[] = [];
    const session = new AppServerSession(nodeEnd, ALL, { handle: () => new Promise<AckResult>((r) => { pending.push(r); }) });
    cleanup.push(() => session.close());
    await session.start(emptyReport(nodeId.publicKey));
    for (let i = 0; i < 3 * MAX_REQUESTS_IN_FLIGHT; i++) await appEnd.send(request(i));
    await tick();
    expect(pending.length).toBe(MAX_REQUESTS_IN_FLIGHT);
    for (const answer of pending.splice(0)) answer(ackOk);
    await tick();
    expect(pending.length).toBe(MAX_REQUESTS_IN_FLIGHT);
    for (const answer of pending.splice(0)) answer(ackOk);
    await tick();
    expect(pending.length).toBe(MAX_REQUESTS_IN_FLIGHT);
    for (const answer of pending.splice(0)) answer(ackOk);
    // the app gets every ack, in order, after its report
    const first = await appEnd.receive();
    expect(first?.length).toBeGreaterThan(0);
    let acks = 0;
    while (acks < 3 * MAX_REQUESTS_IN_FLIGHT) {
      const m = await appEnd.receive();
      if (m === undefined) break;
      acks++;
    }
    expect(acks).toBe(3 * MAX_REQUESTS_IN_FLIGHT);
    expect(session.closed).toBe(false);
  });

  it('cuts off an app over real TCP that leaves too much unread, and never queues past the limit', async () => {
    const maxQueuedBytes = 1 << 20;
    let serverSide!: (s: AppServerSession) => void;
    const ready = new Promise<AppServerSession>((r) => { serverSide = r; });
    const server = await tcpListen('127.0.0.1:0', (raw: FrameStream) => {
      void (async () => {
        const channel = await secureChannel(raw, { identity: nodeId, crypto, clock: systemClock });
        const s = new AppServerSession(channel, ALL, { handle: () => ackOk }, { maxQueuedBytes });
        await s.start(emptyReport(nodeId.publicKey));
        serverSide(s);
      })();
    });
    cleanup.push(() => server.close());
    const app: SecureChannel = await secureChannel(await tcpConnect(server.address), {
      identity: appId, crypto, clock: systemClock, expectedRemote: nodeId.publicKey,
    });
    cleanup.push(() => app.close());
    const session = await ready;
    // the app never reads: the node keeps publishing (acks with long error texts stand in for
    // report mutations) until the kernel's buffers and the channel's are full, then it queues
    const big = ackError('internal', 'x'.repeat(900));
    let most = 0;
    for (let i = 0; i < 200_000 && !session.closed; i++) {
      void session.send({ kind: 'ack', requestId: new Uint8Array(16), result: big });
      most = Math.max(most, session.queued);
      if (i % 500 === 499) await new Promise((r) => setImmediate(r));
    }
    expect(session.closed).toBe(true);
    expect(most).toBeLessThanOrEqual(maxQueuedBytes);
    expect(await app.closed).toBeDefined();
  });
});
