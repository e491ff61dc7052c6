/** The app protocol over the bridge, for one card (docs/wallet.md "Card screen"): requests go out
 *  as `app.request`, the card's messages come in as `app.message` events. Browser-safe. */
import { AppClient, type MessageTransport, appToNode, nodeToApp } from '../../src-core/app/index.ts';
import { decodeExact, toBase64Url } from '../../src-core/codec/index.ts';
import type { Bridge, BridgeError, Result } from '../../src-main/bridge.ts';

/** A MessageTransport for `cardId`. Messages before the first report (left from an earlier
 *  session of the card) are dropped, so AppClient.connect sees the new session's report first.
 *  Every window shares the card's one session, so acks of requests this transport did not send
 *  (another window's) are dropped too: AppClient treats an unexpected ack as a protocol error. */
export function bridgeAppTransport(bridge: Bridge, cardId: string): MessageTransport {
  const queue: Uint8Array[] = [];
  const waiting: Array<(m: Uint8Array | undefined) => void> = [];
  let closed = false;
  let sawReport = false;
  const sent = new Set<string>();
  const unsubscribe = bridge.onEvent('app.message', ({ cardId: from, message }) => {
    if (from !== cardId || closed) return;
    const m = decodeExact(nodeToApp, message);
    if (!sawReport) {
      if (!m.ok || m.value.kind !== 'report') return;
      sawReport = true;
    }
    if (m.ok && m.value.kind === 'ack' && !sent.delete(toBase64Url(m.value.requestId))) return;
    const w = waiting.shift();
    if (w !== undefined) w(message); else queue.push(message);
  });
  return {
    async send(message) {
      if (closed) throw new Error('the card session is closed');
      const out = decodeExact(appToNode, message);
      if (out.ok) sent.add(toBase64Url(out.value.requestId));
      const r = await bridge.call('app.request', { cardId, message });
      if (!r.ok) throw new Error(`the wallet refused the request: ${r.error.message}`);
    },
    receive() {
      const m = queue.shift();
      if (m !== undefined || closed) return Promise.resolve(m);
      return new Promise((resolve) => waiting.push(resolve));
    },
    close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      for (const w of waiting.splice(0)) w(undefined);
    },
  };
}

const platformRandom = (n: number): Uint8Array => globalThis.crypto.getRandomValues(new Uint8Array(n));

/** Opens a new app session on the card (`app.connect`) and an AppClient over it. */
export async function connectCard(
  bridge: Bridge, cardId: string, random: (n: number) => Uint8Array = platformRandom,
): Promise<Result<AppClient, BridgeError>> {
  const transport = bridgeAppTransport(bridge, cardId);
  const client = AppClient.connect(transport, { random });
  const r = await bridge.call('app.connect', { cardId });
  if (!r.ok) {
    transport.close();
    await client.catch(() => undefined);
    return r;
  }
  try {
    return { ok: true, value: await client };
  } catch (e) {
    transport.close();
    return { ok: false, error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } };
  }
}
