/** The one bridge codec, for Electron IPC and the browser-mode WebSocket alike (STYLE §4).
 *
 *  Wire shapes (JSON text):
 *    call      {"id":N,"name":"cards.create","args":{…}}
 *    response  {"kind":"response","id":N|null,"ok":true,"value":…}
 *              {"kind":"response","id":N|null,"ok":false,"error":{"code":"…","message":"…"}}
 *    event     {"kind":"event","name":"cards.changed","payload":{…}}
 *  A response's id is null only when the call was too broken to carry one. Decoders never throw:
 *  every fault of the other side is a typed BridgeError. Browser-safe. */
import {
  EVENT_SCHEMAS,
  MAX_BRIDGE_MESSAGE_CHARS,
  REQUEST_SCHEMAS,
  isEventName,
  isRequestName,
  type ArgsOf,
  type BridgeError,
  type BridgeErrorCode,
  type BridgeEvents,
  type EventName,
  type RequestName,
  type Result,
  type ResultOf,
} from './bridge.ts';
import { SchemaError, type Json, type Schema } from './bridge-schema.ts';

export type CallMessage = { [K in RequestName]: { readonly id: number; readonly name: K; readonly args: ArgsOf<K> } }[RequestName];
export type EventMessage = { [E in EventName]: { readonly kind: 'event'; readonly name: E; readonly payload: BridgeEvents[E] } }[EventName];
export type ResponseMessage = {
  readonly kind: 'response';
  readonly id: number | null;
  readonly result: Result<unknown, BridgeError>;
};
export type HostMessage = ResponseMessage | EventMessage;

/** A call the host refuses; `id` is known when the call carried a valid one. */
export interface RejectedCall {
  readonly id: number | null;
  readonly error: BridgeError;
}

const MAX_ID = Number.MAX_SAFE_INTEGER;
const MAX_ERROR_MESSAGE = 2000;
const ERROR_CODES: readonly BridgeErrorCode[] = [
  'bad-message', 'unknown-request', 'bad-args', 'too-large', 'unknown-card', 'bad-input',
  'locked', 'wrong-password', 'rate-limited', 'unavailable', 'disconnected', 'internal',
];

const fail = (code: BridgeErrorCode, message: string): BridgeError => ({ code, message });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= MAX_ID;

function parse(text: unknown): Result<unknown, BridgeError> {
  if (typeof text !== 'string') return { ok: false, error: fail('bad-message', 'a bridge message must be text') };
  if (text.length > MAX_BRIDGE_MESSAGE_CHARS) {
    return { ok: false, error: fail('too-large', `a bridge message may have at most ${MAX_BRIDGE_MESSAGE_CHARS} characters`) };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: fail('bad-message', 'a bridge message must be JSON') };
  }
}

function decodeWith<T>(schema: Schema<T>, json: unknown, path: string, code: BridgeErrorCode): Result<T, BridgeError> {
  try {
    return { ok: true, value: schema.fromJson(json, path) };
  } catch (e) {
    if (e instanceof SchemaError) return { ok: false, error: fail(code, e.message) };
    throw e;
  }
}

function hasExactly(o: Record<string, unknown>, keys: readonly string[]): boolean {
  const ks = Object.keys(o);
  return ks.length === keys.length && keys.every((k) => own(o, k));
}

export function encodeCall<K extends RequestName>(id: number, name: K, args: ArgsOf<K>): string {
  const schema = REQUEST_SCHEMAS[name].args as Schema<ArgsOf<K>>;
  return JSON.stringify({ id, name, args: schema.toJson(args) });
}

/** Host side: strictly decode a call from the renderer. */
export function decodeCall(text: unknown): Result<CallMessage, RejectedCall> {
  const parsed = parse(text);
  if (!parsed.ok) return { ok: false, error: { id: null, error: parsed.error } };
  const j = parsed.value;
  if (!isObject(j) || !isId(j['id'])) return { ok: false, error: { id: null, error: fail('bad-message', 'a call needs an integer id') } };
  const id = j['id'] + 0; // JSON "-0" is id 0, not a second id that encodes like it
  const reject = (code: BridgeErrorCode, message: string): Result<CallMessage, RejectedCall> => ({ ok: false, error: { id, error: fail(code, message) } });
  if (!hasExactly(j, ['id', 'name', 'args'])) return reject('bad-message', 'a call has exactly the fields id, name and args');
  const name = j['name'];
  if (typeof name !== 'string' || !isRequestName(name)) {
    return reject('unknown-request', `unknown request ${JSON.stringify(typeof name === 'string' ? name.slice(0, 64) : name)}`);
  }
  const args = decodeWith(REQUEST_SCHEMAS[name].args as Schema<unknown>, j['args'], 'args', 'bad-args');
  if (!args.ok) return reject(args.error.code, args.error.message);
  return { ok: true, value: { id, name, args: args.value } as CallMessage };
}

/** Host side: the answer to a decoded call. The value is encoded with the request's result schema. */
export function encodeResponse<K extends RequestName>(id: number, name: K, result: Result<ResultOf<K>, BridgeError>): string {
  if (!result.ok) return encodeRejection({ id, error: result.error });
  const schema = REQUEST_SCHEMAS[name].result as Schema<ResultOf<K>>;
  return JSON.stringify({ kind: 'response', id, ok: true, value: schema.toJson(result.value) });
}

export function encodeRejection(rejected: RejectedCall): string {
  const message = rejected.error.message.slice(0, MAX_ERROR_MESSAGE);
  return JSON.stringify({ kind: 'response', id: rejected.id, ok: false, error: { code: rejected.error.code, message } });
}

export function encodeEvent<E extends EventName>(name: E, payload: BridgeEvents[E]): string {
  const schema = EVENT_SCHEMAS[name] as Schema<BridgeEvents[E]>;
  return JSON.stringify({ kind: 'event', name, payload: schema.toJson(payload) as Json });
}

/** Renderer side: strictly decode what the host sent. `pending` names the request an id belongs to
 *  (so the value is decoded with that request's result schema); an unknown id is an error. */
export function decodeHostMessage(text: unknown, pending: (id: number) => RequestName | undefined): Result<HostMessage, BridgeError> {
  const parsed = parse(text);
  if (!parsed.ok) return parsed;
  const j = parsed.value;
  if (!isObject(j)) return { ok: false, error: fail('bad-message', 'a host message must be an object') };
  if (j['kind'] === 'event') {
    if (!hasExactly(j, ['kind', 'name', 'payload'])) return { ok: false, error: fail('bad-message', 'an event has exactly kind, name and payload') };
    const name = j['name'];
    if (typeof name !== 'string' || !isEventName(name)) return { ok: false, error: fail('bad-message', 'unknown event') };
    const payload = decodeWith(EVENT_SCHEMAS[name] as Schema<unknown>, j['payload'], 'payload', 'bad-message');
    if (!payload.ok) return payload;
    return { ok: true, value: { kind: 'event', name, payload: payload.value } as EventMessage };
  }
  if (j['kind'] !== 'response') return { ok: false, error: fail('bad-message', 'unknown host message kind') };
  const rawId = j['id'];
  if (rawId !== null && !isId(rawId)) return { ok: false, error: fail('bad-message', 'a response needs an integer or null id') };
  const id = rawId === null ? null : rawId + 0; // -0 is id 0
  if (j['ok'] === false) {
    if (!hasExactly(j, ['kind', 'id', 'ok', 'error'])) return { ok: false, error: fail('bad-message', 'a refusal has exactly kind, id, ok and error') };
    const e = j['error'];
    if (!isObject(e) || !hasExactly(e, ['code', 'message']) || typeof e['message'] !== 'string' || e['message'].length > MAX_ERROR_MESSAGE) {
      return { ok: false, error: fail('bad-message', 'malformed error') };
    }
    const code = ERROR_CODES.includes(e['code'] as BridgeErrorCode) ? (e['code'] as BridgeErrorCode) : 'internal';
    return { ok: true, value: { kind: 'response', id, result: { ok: false, error: fail(code, e['message']) } } };
  }
  if (j['ok'] !== true || !hasExactly(j, ['kind', 'id', 'ok', 'value'])) return { ok: false, error: fail('bad-message', 'malformed response') };
  const name = id === null ? undefined : pending(id);
  if (name === undefined) return { ok: false, error: fail('bad-message', `a response to an unknown call ${String(id)}`) };
  const value = decodeWith(REQUEST_SCHEMAS[name].result as Schema<unknown>, j['value'], 'value', 'bad-message');
  if (!value.ok) return value;
  return { ok: true, value: { kind: 'response', id, result: { ok: true, value: value.value } } };
}
