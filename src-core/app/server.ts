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
  /** Resolves when the request loop has ended (the app left or the session was closed). */
  readonly done: Promise<void>;
  private startLoop!: () => void;

  constructor(
    private readonly transport: MessageTransport,
    readonly permissions: AppPermissions,
    private readonly handler: AppRequestHandler,
  ) {
    const started = new Promise<void>((r) => { this.startLoop = r; });
    this.done = started.then(() => this.loop());
  }

  /** Sends the report, then starts serving requests. Call once. */
  async start(report: NodeReport): Promise<void> {
    await this.send({ kind: 'report', permissions: this.permissions, report });
    this.startLoop();
  }

  /** Sends one message to the app, in call order; a no-op once the session has closed. */
  send(message: NodeToApp): Promise<void> {
    if (this.closedFlag) return Promise.resolve();
    const bytes = encode(nodeToApp, message); // throws on a programmer error, before anything is queued
    this.sending = this.sending.then(() => this.transport.send(bytes)).catch(() => this.close());
    return this.sending;
  }

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
    for (;;) {
      const bytes = await this.transport.receive();
      if (bytes === undefined || this.closedFlag) break;
      if (bytes.length < UID_BYTES) {
        // Not even a request id to answer to: nothing sensible can follow on this connection
        this.close();
        break;
      }
      const requestId = bytes.slice(0, UID_BYTES);
      const result = this.answer(requestId, bytes);
      acks = acks.then(async () => { await this.send({ kind: 'ack', requestId, result: await result }); });
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
