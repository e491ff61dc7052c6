/** The node's side of one app connection: sends the permissions and report first, then reads
 *  requests in order, checks each against the app's permissions, hands the permitted ones to
 *  the node, and sends exactly one Ack per request. Malformed requests are acked with an error
 *  and change nothing; the connection stays up. The node publishes mutations and results through
 *  `send`. Browser-safe (the wallet host runs it in-process too). */
import { decodeExact, encode } from '../codec/index.ts';
import { UID_BYTES } from '../proto/index.ts';
import { type AckResult, type AppErrorCode, type AppRequest, type NodeToApp, appToNode, nodeToApp } from './messages.ts';
import type { NodeReport } from './node-report.ts';
import { type AppPermissions, checkPermission, describeMissingPermission } from './permissions.ts';
import type { MessageTransport } from './transport.ts';
import { MAX_ERROR_MESSAGE_BYTES } from './wire-common.ts';

export interface AppRequestContext {
  readonly requestId: Uint8Array;
  readonly permissions: AppPermissions;
}

/** What the node supplies. `handle` runs only for permitted requests; it must publish the
 *  request's report mutations (through `send`) before it returns, so that an app that has its
 *  Ack also has the changes. Returning an error outcome refuses the request; throwing is an
 *  internal failure, acked as `internal`. */
export interface AppRequestHandler {
  handle(request: AppRequest, ctx: AppRequestContext): Promise<AckResult> | AckResult;
}

/** Requests handed to the node and not acked yet. At this many the session stops reading until
 *  they are answered, so the app's socket fills and an app sending as fast as it can holds the
 *  node to this many (an honest app awaits each Ack, or a few). */
export const MAX_REQUESTS_IN_FLIGHT = 64;
/** Bytes waiting to go to an app that does not read them (its socket full): past this the app is
 *  cut off rather than held in memory without bound (reports, results and acks of every change). */
export const MAX_QUEUED_BYTES_TO_APP = 16 << 20;

export interface SessionLimits {
  readonly maxRequestsInFlight?: number;
  readonly maxQueuedBytes?: number;
}

export const ackOk: AckResult = Object.freeze({ kind: 'ok' });
export function ackError(code: AppErrorCode, message: string): AckResult {
  return { kind: 'error', error: { code, message: clip(message) } };
}

const utf8 = new TextEncoder();
/** Cuts a message to the codec's byte limit at a code point boundary. */
function clip(s: string): string {
  if (utf8.encode(s).length <= MAX_ERROR_MESSAGE_BYTES) return s;
  let out = '';
  let n = 0;
  for (const c of s) {
    const b = utf8.encode(c).length;
    if (n + b > MAX_ERROR_MESSAGE_BYTES - 3) break;
    out += c;
    n += b;
  }
  return `${out}…`;
}

export class AppServerSession {
  private closedFlag = false;
  private sending: Promise<void> = Promise.resolve();
  private queuedBytes = 0;
  private readonly maxInFlight: number;
  private readonly maxQueued: number;
  /** Resolves when the request loop has ended (the app left or the session was closed). */
  readonly done: Promise<void>;
  private startLoop!: () => void;

  constructor(
    private readonly transport: MessageTransport,
    readonly permissions: AppPermissions,
    private readonly handler: AppRequestHandler,
    limits: SessionLimits = {},
  ) {
    this.maxInFlight = limits.maxRequestsInFlight ?? MAX_REQUESTS_IN_FLIGHT;
    this.maxQueued = limits.maxQueuedBytes ?? MAX_QUEUED_BYTES_TO_APP;
    const started = new Promise<void>((r) => { this.startLoop = r; });
    this.done = started.then(() => this.loop());
  }

  /** Sends the report, then starts serving requests. Call once. */
  async start(report: NodeReport): Promise<void> {
    await this.send({ kind: 'report', permissions: this.permissions, report });
    this.startLoop();
  }

  /** Sends one message to the app, in call order; a no-op once the session has closed. An app
   *  that leaves more than MAX_QUEUED_BYTES_TO_APP unread is cut off (the session closes). */
  send(message: NodeToApp): Promise<void> {
    if (this.closedFlag) return Promise.resolve();
    const bytes = encode(nodeToApp, message); // throws on a programmer error, before anything is queued
    if (this.queuedBytes + bytes.length > this.maxQueued) {
      this.close();
      return Promise.resolve();
    }
    this.queuedBytes += bytes.length;
    this.sending = this.sending.then(() => this.transport.send(bytes)).then(() => { this.queuedBytes -= bytes.length; }, () => this.close());
    return this.sending;
  }

  /** Bytes queued to the app and not yet taken by its transport. */
  get queued(): number { return this.queuedBytes; }

  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.transport.close();
  }

  get closed(): boolean { return this.closedFlag; }

  private async loop(): Promise<void> {
    // Requests are handed to the node in arrival order as they arrive (so the node can work on
    // the next while the previous waits for its disk write); Acks still leave in that order.
    let acks: Promise<void> = Promise.resolve();
    let inFlight = 0;
    for (;;) {
      if (inFlight >= this.maxInFlight) await acks;
      const bytes = await this.transport.receive();
      if (bytes === undefined || this.closedFlag) break;
      if (bytes.length < UID_BYTES) {
        // Not even a request id to answer to: nothing sensible can follow on this connection
        this.close();
        break;
      }
      const requestId = bytes.slice(0, UID_BYTES);
      const result = this.answer(requestId, bytes);
      inFlight++;
      acks = acks.then(async () => { await this.send({ kind: 'ack', requestId, result: await result }); inFlight--; });
    }
    await acks;
    this.close();
  }

  private async answer(requestId: Uint8Array, bytes: Uint8Array): Promise<AckResult> {
    const decoded = decodeExact(appToNode, bytes);
    if (!decoded.ok) return ackError('malformed-request', decoded.error.message);
    const { request } = decoded.value;
    const allowed = checkPermission(this.permissions, request);
    if (!allowed.ok) return ackError('permission-denied', describeMissingPermission(allowed.missing));
    try {
      return await this.handler.handle(request, { requestId, permissions: this.permissions });
    } catch (e) {
      return ackError('internal', e instanceof Error ? e.message : String(e));
    }
  }
}
