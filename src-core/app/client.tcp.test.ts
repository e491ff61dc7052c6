/** The app protocol over what stctrl really uses: TCP on loopback and the secure channel. */
import { afterEach, describe, expect, it } from 'vitest';
import { nodeBackend } from '../crypto/backend.node.ts';
import { identityFromSeed, seededRandom } from '../crypto/index.ts';
import { type FrameStream, type SecureChannel, secureChannel, systemClock } from '../net/index.ts';
import { tcpConnect, tcpListen } from '../net/tcp.node.ts';
import { AppClient, AppRequestError } from './client.ts';
import { applyReportMutation, emptyReport } from './report.ts';
import { AppServerSession, ackError, ackOk } from './server.ts';
import type { MessageTransport } from './transport.ts';

const crypto = nodeBackend;
const nodeId = identityFromSeed(crypto, new Uint8Array(32).fill(1));
const appId = identityFromSeed(crypto, new Uint8Array(32).fill(2));

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const f of cleanup.splice(0).reverse()) await f(); });

describe('app protocol over TCP and the secure channel', () => {
  it('configures a relay and is refused a payment the ticket does not allow', async () => {
    // A SecureChannel is a MessageTransport as it is: no adapter
    const asTransport = (c: SecureChannel): MessageTransport => c;

    let report = emptyReport(nodeId.publicKey);
    let sessionStarted!: (s: AppServerSession) => void;
    const sessionReady = new Promise<AppServerSession>((r) => { sessionStarted = r; });
    const server = await tcpListen('127.0.0.1:0', (raw: FrameStream) => {
      void (async () => {
        const channel = await secureChannel(raw, { identity: nodeId, crypto, clock: systemClock });
        expect(channel.remotePublicKey).toEqual(appId.publicKey);
        const session: AppServerSession = new AppServerSession(asTransport(channel), { buyer: false, seller: false, config: true, routes: true }, {
          async handle(request) {
            if (request.kind !== 'add-relay') return ackError('invalid-request', 'not in this test');
            const m = { kind: 'add-relay' as const, relay: request.relay };
            report = applyReportMutation(report, m);
            await session.send({ kind: 'report-mutations', mutations: [m] });
            return ackOk;
          },
        });
        await session.start(report);
        sessionStarted(session);
      })();
    });
    cleanup.push(() => server.close());
    const address = server.address;

    const raw = await tcpConnect(address);
    cleanup.push(() => raw.close());
    const channel = await secureChannel(raw, { identity: appId, crypto, clock: systemClock, expectedRemote: nodeId.publicKey });
    const client = await AppClient.connect(asTransport(channel), { random: seededRandom(11) });
    cleanup.push(() => client.close());
    const session = await sessionReady;
    cleanup.push(() => session.close());

    await client.request({ kind: 'add-relay', relay: { publicKey: new Uint8Array(32).fill(7), address: '127.0.0.1:9000', name: 'relay0' } });
    expect(client.report.relays.map((r) => r.name)).toEqual(['relay0']);

    const refused = await client.request({
      kind: 'create-payment', paymentId: new Uint8Array(16), invoiceId: new Uint8Array(32), currency: 'FST',
      totalDestPayment: 50n, destPublicKey: new Uint8Array(32).fill(3), autoCollect: true,
    }).catch((e: unknown) => e);
    expect((refused as AppRequestError).code).toBe('permission-denied');
  });
});
