/** Host side of the bridge: decode a call, run its handler, encode the answer; and fan events out
 *  to every connected renderer. Shared by the Electron IPC handler and the browser-mode WebSocket,
 *  so both transports apply the same strict validation. */
import { decodeCall, encodeEvent, encodeRejection, encodeResponse } from './bridge-codec.ts';
import type { ArgsOf, BridgeError, BridgeEvents, EventName, RequestName, Result, ResultOf } from './bridge.ts';

export type BridgeHandlers = {
  readonly [K in RequestName]: (args: ArgsOf<K>) => Promise<Result<ResultOf<K>, BridgeError>>;
};

export interface Dispatcher {
  /** Answers one raw message from a renderer with the raw response text; never throws. */
  handle(message: unknown): Promise<string>;
}

export function createDispatcher(handlers: BridgeHandlers, onInternalError: (e: unknown) => void = () => {}): Dispatcher {
  return {
    async handle(message) {
      const call = decodeCall(message);
      if (!call.ok) return encodeRejection(call.error);
      const { id, name, args } = call.value;
      try {
        const handler = handlers[name] as (a: typeof args) => Promise<Result<unknown, BridgeError>>;
        const result = await handler(args);
        return encodeResponse(id, name, result as Result<ResultOf<typeof name>, BridgeError>);
      } catch (e) {
        onInternalError(e);
        return encodeRejection({ id, error: { code: 'internal', message: `the host failed on ${name}` } });
      }
    },
  };
}

/** Host → renderers. Listeners get encoded event text; a throwing listener does not stop the rest. */
export class EventHub {
  private readonly listeners = new Set<(message: string) => void>();

  publish<E extends EventName>(name: E, payload: BridgeEvents[E]): void {
    const text = encodeEvent(name, payload);
    for (const l of [...this.listeners]) {
      try {
        l(text);
      } catch {
        // one broken connection must not keep the others from hearing the event
      }
    }
  }

  subscribe(listener: (message: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}

/** A renderer-side transport that calls a dispatcher directly: the in-process pairing used by
 *  store tests (a real host, no socket). */
export function inProcessTransport(dispatcher: Dispatcher, events: EventHub): { call(m: string): Promise<string>; onEvent(l: (m: string) => void): () => void } {
  return { call: (m) => dispatcher.handle(m), onEvent: (l) => events.subscribe(l) };
}
