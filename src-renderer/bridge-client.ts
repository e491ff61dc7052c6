/** The renderer's side of the bridge: a typed `Bridge` over a raw transport (STYLE §4).
 *  The transport is `window.offset` in Electron (the preload) or the browser-mode WebSocket;
 *  both carry the text of the one bridge codec, which this module encodes and strictly decodes. */
import {
  BRIDGE_TOKEN_PROTOCOL_PREFIX,
  BRIDGE_WS_PATH,
  BRIDGE_WS_PROTOCOL,
  MAX_BRIDGE_MESSAGE_CHARS,
  type Bridge,
  type BridgeError,
  type BridgeEvents,
  type EventName,
  type OffsetBridge,
  type RequestName,
} from '../src-main/bridge.ts';
import { decodeHostMessage, encodeCall } from '../src-main/bridge-codec.ts';

export function createBridgeClient(transport: OffsetBridge, onProtocolError: (e: BridgeError) => void = () => {}): Bridge {
  let nextId = 1;
  const pending = new Map<number, RequestName>();
  const listeners = new Map<EventName, Set<(payload: never) => void>>();

  transport.onEvent((text) => {
    const m = decodeHostMessage(text, () => undefined);
    if (!m.ok) return onProtocolError(m.error);
    if (m.value.kind !== 'event') return;
    for (const l of listeners.get(m.value.name) ?? []) (l as (p: unknown) => void)(m.value.payload);
  });

  return {
    async call(name, args) {
      const id = nextId++;
      let text: string;
      try {
        text = encodeCall(id, name, args);
      } catch (e) {
        return { ok: false, error: { code: 'bad-args', message: e instanceof Error ? e.message : String(e) } };
      }
      if (text.length > MAX_BRIDGE_MESSAGE_CHARS) return { ok: false, error: { code: 'too-large', message: 'this request is too large to send' } };
      pending.set(id, name);
      try {
        const answer = await transport.call(text);
        const m = decodeHostMessage(answer, (i) => pending.get(i));
        if (!m.ok) {
          onProtocolError(m.error);
          return { ok: false, error: m.error };
        }
        if (m.value.kind !== 'response' || m.value.id !== id) {
          const error: BridgeError = { code: 'bad-message', message: 'the host answered another call' };
          onProtocolError(error);
          return { ok: false, error };
        }
        return m.value.result as never;
      } catch (e) {
        return { ok: false, error: { code: 'disconnected', message: e instanceof Error ? e.message : 'the wallet host is not reachable' } };
      } finally {
        pending.delete(id);
      }
    },
    onEvent<E extends EventName>(name: E, listener: (payload: BridgeEvents[E]) => void) {
      let set = listeners.get(name);
      if (set === undefined) listeners.set(name, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
}

/** A transport that can also say when it lost the host (the WebSocket closes; IPC never does). */
export interface ClosableTransport extends OffsetBridge {
  onClose(listener: () => void): void;
}

/** Browser mode: the WebSocket to the host that served this page. Routes each answer to its call
 *  by id; everything else is an event. Rejects pending calls when the socket closes. */
export function connectWebSocket(url: string, token: string): Promise<ClosableTransport> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, [BRIDGE_WS_PROTOCOL, BRIDGE_TOKEN_PROTOCOL_PREFIX + token]);
    const waiting = new Map<number, { resolve: (t: string) => void; reject: (e: Error) => void }>();
    const eventListeners = new Set<(t: string) => void>();
    const closeListeners: Array<() => void> = [];
    let opened = false;
    ws.addEventListener('open', () => {
      opened = true;
      resolve({
        call(message) {
          const id = (JSON.parse(message) as { id: number }).id;
          return new Promise<string>((res, rej) => {
            if (ws.readyState !== WebSocket.OPEN) return rej(new Error('the connection to the wallet host is closed'));
            waiting.set(id, { resolve: res, reject: rej });
            ws.send(message);
          });
        },
        onEvent(listener) {
          eventListeners.add(listener);
          return () => eventListeners.delete(listener);
        },
        onClose(listener) {
          closeListeners.push(listener);
        },
      });
    });
    ws.addEventListener('message', (ev: MessageEvent) => {
      if (typeof ev.data !== 'string') return;
      let head: { kind?: unknown; id?: unknown };
      try {
        head = JSON.parse(ev.data) as typeof head;
      } catch {
        return;
      }
      if (head.kind === 'response' && typeof head.id === 'number') {
        const w = waiting.get(head.id);
        waiting.delete(head.id);
        w?.resolve(ev.data);
      } else if (head.kind === 'event') {
        for (const l of eventListeners) l(ev.data);
      }
    });
    ws.addEventListener('close', () => {
      for (const w of waiting.values()) w.reject(new Error('the connection to the wallet host closed'));
      waiting.clear();
      if (!opened) reject(new Error('The wallet host refused the connection. Open the address that `npm start` printed, token included.'));
      else for (const l of closeListeners) l();
    });
  });
}

export type HostConnection =
  | { readonly ok: true; readonly bridge: Bridge; readonly onLost: (listener: () => void) => void }
  | { readonly ok: false; readonly message: string };

const TOKEN_KEY = 'offset.bridgeToken';

/** Finds the host: the preload's `window.offset` in Electron; otherwise the WebSocket of browser
 *  mode with the token from the URL fragment (kept in sessionStorage for reloads, then removed
 *  from the address bar so it is not shown or shared by accident). */
export async function connectToHost(win: Window & { offset?: OffsetBridge }): Promise<HostConnection> {
  if (win.offset !== undefined) return { ok: true, bridge: createBridgeClient(win.offset), onLost: () => {} };
  const fromHash = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(win.location.hash)?.[1];
  if (fromHash !== undefined) {
    win.sessionStorage.setItem(TOKEN_KEY, fromHash);
    win.history.replaceState(null, '', win.location.pathname + win.location.search);
  }
  const token = fromHash ?? win.sessionStorage.getItem(TOKEN_KEY);
  if (token === null) return { ok: false, message: 'This page needs the address printed by `npm start`, including its #token=… part.' };
  try {
    const transport = await connectWebSocket(`ws://${win.location.host}${BRIDGE_WS_PATH}`, token);
    return { ok: true, bridge: createBridgeClient(transport), onLost: (l) => transport.onClose(l) };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}
