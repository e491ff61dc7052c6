/** The app side of the app protocol, for stctrl and the wallet alike: transport-independent.
 *  It sends requests with fresh ids and settles each request's promise on its one Ack, keeps
 *  the current report (the snapshot, then every mutation through the reducer), and tells
 *  listeners about report changes and payment, transaction, routes and invoice results.
 *  Browser-safe; randomness is injected. */
import { decodeExact, encode } from '../codec/index.ts';
import {
  type AppErrorCode, type AppRequest, type AppToNode, type Edge, type InvoiceEvent, type NodeToApp, type PaymentStatus,
  type RoutesOutcome, type TransactionOutcome, appToNode, nodeToApp,
} from './messages.ts';
import type { NodeReport, ReportMutation } from './node-report.ts';
import { type HistoryFilter, type HistoryPage, type SignedFriendToken, historyFilterOf } from './history-query.ts';
import type { AppPermissions } from './permissions.ts';
import { applyReportMutations } from './report.ts';
import type { MessageTransport } from './transport.ts';
import { hexOf } from './wire-common.ts';

/** The node refused the request (its Ack carried an error). */
export class AppRequestError extends Error {
  constructor(readonly code: AppErrorCode, message: string) {
    super(message === '' ? code : `${code}: ${message}`);
    this.name = 'AppRequestError';
  }
}

/** The connection ended (or was ended because the node broke the protocol) before an answer. */
export class AppConnectionClosedError extends Error {
  constructor(readonly reason: 'closed' | 'protocol-error', detail: string) {
    super(detail);
    this.name = 'AppConnectionClosedError';
  }
}

export interface Disposable { dispose(): void }

class Emitter<T> {
  private readonly listeners = new Set<(e: T) => void>();
  readonly event = (listener: (e: T) => void): Disposable => {
    this.listeners.add(listener);
    return { dispose: () => { this.listeners.delete(listener); } };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) {
      try { l(e); } catch { /* a listener's failure is its own; the protocol goes on */ }
    }
  }
}

export interface ReportChange {
  readonly report: NodeReport;
  /** undefined: a full report replaced the old one. */
  readonly mutations: readonly ReportMutation[] | undefined;
}

export interface AppClientOptions {
  /** Source of request ids (16 bytes each); the platform's CSPRNG in products, a seed in tests. */
  readonly random: (n: number) => Uint8Array;
}

interface Waiter<T> { resolve(v: T): void; reject(e: Error): void }

function take<T>(map: Map<string, Waiter<T>[]>, key: string): Waiter<T> | undefined {
  const list = map.get(key);
  const w = list?.shift();
  if (list !== undefined && list.length === 0) map.delete(key);
  return w;
}
function put<T>(map: Map<string, Waiter<T>[]>, key: string, w: Waiter<T>): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [w]); else list.push(w);
}
function drop<T>(map: Map<string, Waiter<T>[]>, key: string, w: Waiter<T>): void {
  const list = map.get(key);
  if (list === undefined) return;
  const i = list.indexOf(w);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) map.delete(key);
}

export class AppClient {
  private current: NodeReport;
  private perms: AppPermissions;
  private closeError: AppConnectionClosedError | undefined;
  private readonly acks = new Map<string, Waiter<void>>();
  private readonly routeWaiters = new Map<string, Waiter<RoutesOutcome>[]>();
  private readonly transactionWaiters = new Map<string, Waiter<TransactionOutcome>[]>();
  private readonly statusWaiters = new Map<string, Waiter<PaymentStatus>[]>();
  private readonly historyWaiters = new Map<string, Waiter<HistoryPage>[]>();
  private readonly tokenWaiters = new Map<string, Waiter<SignedFriendToken | undefined>[]>();

  private readonly reportEmitter = new Emitter<ReportChange>();
  private readonly transactionEmitter = new Emitter<{ transactionId: Uint8Array; outcome: TransactionOutcome }>();
  private readonly statusEmitter = new Emitter<{ paymentId: Uint8Array; status: PaymentStatus }>();
  private readonly routesEmitter = new Emitter<{ requestId: Uint8Array; outcome: RoutesOutcome }>();
  private readonly invoiceEmitter = new Emitter<{ invoiceId: Uint8Array; event: InvoiceEvent }>();
  private readonly closeEmitter = new Emitter<AppConnectionClosedError>();

  readonly onDidChangeReport = this.reportEmitter.event;
  readonly onTransactionResult = this.transactionEmitter.event;
  readonly onPaymentStatus = this.statusEmitter.event;
  readonly onRoutesResult = this.routesEmitter.event;
  readonly onInvoiceEvent = this.invoiceEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  /** Resolves when the connection has ended, with why. */
  readonly closed: Promise<AppConnectionClosedError>;
  private resolveClosed!: (e: AppConnectionClosedError) => void;

  /** Waits for the node's first message (permissions and report), then serves. */
  static async connect(transport: MessageTransport, opts: AppClientOptions): Promise<AppClient> {
    const first = await transport.receive();
    if (first === undefined) throw new AppConnectionClosedError('closed', 'the node closed the connection before sending its report');
    const msg = decodeExact(nodeToApp, first);
    if (!msg.ok || msg.value.kind !== 'report') {
      transport.close();
      const why = msg.ok ? `a ${msg.value.kind} message` : `a malformed message (${msg.error.message})`;
      throw new AppConnectionClosedError('protocol-error', `the node sent ${why} instead of its report`);
    }
    return new AppClient(transport, opts, msg.value.permissions, msg.value.report);
  }

  private constructor(
    private readonly transport: MessageTransport,
    private readonly opts: AppClientOptions,
    permissions: AppPermissions,
    report: NodeReport,
  ) {
    this.perms = permissions;
    this.current = report;
    this.closed = new Promise((r) => { this.resolveClosed = r; });
    void this.loop();
  }

  get report(): NodeReport { return this.current; }
  get permissions(): AppPermissions { return this.perms; }
  get isClosed(): boolean { return this.closeError !== undefined; }

  /** Sends one request; resolves on its ok Ack (the request's report changes are applied by
   *  then), rejects with AppRequestError on an error Ack or AppConnectionClosedError on close. */
  request(request: AppRequest): Promise<void> {
    return this.send(request);
  }

  /** request-routes, then its routes-result. */
  async requestRoutes(q: {
    readonly currency: string; readonly amount: bigint; readonly destination: Uint8Array;
    readonly source?: Uint8Array; readonly exclude?: Edge;
  }): Promise<RoutesOutcome> {
    const requestId = this.newRequestId();
    const key = hexOf(requestId);
    const result = this.expect(this.routeWaiters, key);
    const ack = this.send({
      kind: 'request-routes', currency: q.currency, amount: q.amount, source: q.source ?? this.current.localPublicKey,
      destination: q.destination, exclude: q.exclude,
    }, requestId);
    return this.afterAck(ack, this.routeWaiters, key, result);
  }

  /** query-history, then its history-result: one page of history rows. */
  async queryHistory(filter: Partial<HistoryFilter> = {}): Promise<HistoryPage> {
    const requestId = this.newRequestId();
    const key = hexOf(requestId);
    const result = this.expect(this.historyWaiters, key);
    const ack = this.send({ kind: 'query-history', filter: historyFilterOf(filter) }, requestId);
    return this.afterAck(ack, this.historyWaiters, key, result);
  }

  /** query-friend-token, then its friend-token-result: the friend's last signed move token
   *  (undefined before the friend sent one). */
  async queryFriendToken(friendPublicKey: Uint8Array): Promise<SignedFriendToken | undefined> {
    const requestId = this.newRequestId();
    const key = hexOf(requestId);
    const result = this.expect(this.tokenWaiters, key);
    const ack = this.send({ kind: 'query-friend-token', friendPublicKey }, requestId);
    return this.afterAck(ack, this.tokenWaiters, key, result);
  }

  /** create-transaction, then its transaction-result. */
  async createTransaction(t: {
    readonly paymentId: Uint8Array; readonly transactionId: Uint8Array; readonly route: readonly Uint8Array[];
    readonly destPayment: bigint; readonly fees: bigint;
  }): Promise<TransactionOutcome> {
    const key = hexOf(t.transactionId);
    const result = this.expect(this.transactionWaiters, key);
    const ack = this.send({ kind: 'create-transaction', ...t });
    return this.afterAck(ack, this.transactionWaiters, key, result);
  }

  /** request-close-payment, then the payment's next payment-status. */
  async requestClosePayment(paymentId: Uint8Array): Promise<PaymentStatus> {
    const key = hexOf(paymentId);
    const result = this.expect(this.statusWaiters, key);
    const ack = this.send({ kind: 'request-close-payment', paymentId });
    return this.afterAck(ack, this.statusWaiters, key, result);
  }

  /** The next payment-status for this payment (e.g. the success that follows a collect). */
  nextPaymentStatus(paymentId: Uint8Array): Promise<PaymentStatus> {
    return this.expect(this.statusWaiters, hexOf(paymentId)).promise;
  }

  close(): void {
    this.shutdown(new AppConnectionClosedError('closed', 'the app closed the connection'));
  }

  private expect<T>(map: Map<string, Waiter<T>[]>, key: string): { promise: Promise<T>; waiter: Waiter<T> } {
    let waiter!: Waiter<T>;
    const promise = new Promise<T>((resolve, reject) => { waiter = { resolve, reject }; });
    if (this.closeError !== undefined) waiter.reject(this.closeError);
    else put(map, key, waiter);
    return { promise, waiter };
  }

  /** Waits for the ack, then for the result; an error ack withdraws the result's waiter. */
  private async afterAck<T>(
    ack: Promise<void>, map: Map<string, Waiter<T>[]>, key: string, result: { promise: Promise<T>; waiter: Waiter<T> },
  ): Promise<T> {
    result.promise.catch(() => {}); // settled below or by close; never an unhandled rejection
    try {
      await ack;
    } catch (e) {
      drop(map, key, result.waiter);
      throw e;
    }
    return result.promise;
  }

  private newRequestId(): Uint8Array {
    for (;;) {
      const id = this.opts.random(16);
      if (id.length !== 16) throw new RangeError('random(16) must return 16 bytes');
      if (!this.acks.has(hexOf(id))) return id;
    }
  }

  /** Encodes and sends; the promise settles on the request's Ack. Bad arguments (a name too
   *  long, an amount out of range) reject with the encoder's RangeError/TypeError, and nothing is sent. */
  private send(request: AppRequest, requestId: Uint8Array = this.newRequestId()): Promise<void> {
    if (this.closeError !== undefined) return Promise.reject(this.closeError);
    const message: AppToNode = { requestId, request };
    let bytes: Uint8Array;
    try {
      bytes = encode(appToNode, message);
    } catch (e) {
      return Promise.reject(e);
    }
    const ack = new Promise<void>((resolve, reject) => { this.acks.set(hexOf(requestId), { resolve, reject }); });
    this.transport.send(bytes).catch(() => {
      this.shutdown(new AppConnectionClosedError('closed', 'the connection closed while sending a request'));
    });
    return ack;
  }

  private async loop(): Promise<void> {
    for (;;) {
      let bytes: Uint8Array | undefined;
      try {
        bytes = await this.transport.receive();
      } catch {
        bytes = undefined;
      }
      if (this.closeError !== undefined) return;
      if (bytes === undefined) {
        this.shutdown(new AppConnectionClosedError('closed', 'the node closed the connection'));
        return;
      }
      const msg = decodeExact(nodeToApp, bytes);
      if (!msg.ok) {
        this.shutdown(new AppConnectionClosedError('protocol-error', `the node sent a malformed message: ${msg.error.message}`));
        return;
      }
      const problem = this.dispatch(msg.value);
      if (problem !== undefined) {
        this.shutdown(new AppConnectionClosedError('protocol-error', problem));
        return;
      }
    }
  }

  /** Returns a protocol violation, if the message is one. */
  private dispatch(m: NodeToApp): string | undefined {
    switch (m.kind) {
      case 'ack': {
        const key = hexOf(m.requestId);
        const w = this.acks.get(key);
        if (w === undefined) return `the node acknowledged request ${key}, which is not waiting for an ack`;
        this.acks.delete(key);
        if (m.result.kind === 'ok') w.resolve();
        else w.reject(new AppRequestError(m.result.error.code, m.result.error.message));
        return undefined;
      }
      case 'report':
        this.perms = m.permissions;
        this.current = m.report;
        this.reportEmitter.fire({ report: m.report, mutations: undefined });
        return undefined;
      case 'report-mutations':
        this.current = applyReportMutations(this.current, m.mutations);
        this.reportEmitter.fire({ report: this.current, mutations: m.mutations });
        return undefined;
      case 'transaction-result':
        take(this.transactionWaiters, hexOf(m.transactionId))?.resolve(m.outcome);
        this.transactionEmitter.fire({ transactionId: m.transactionId, outcome: m.outcome });
        return undefined;
      case 'payment-status':
        for (let w = take(this.statusWaiters, hexOf(m.paymentId)); w !== undefined; w = take(this.statusWaiters, hexOf(m.paymentId))) {
          w.resolve(m.status);
        }
        this.statusEmitter.fire({ paymentId: m.paymentId, status: m.status });
        return undefined;
      case 'routes-result':
        take(this.routeWaiters, hexOf(m.requestId))?.resolve(m.outcome);
        this.routesEmitter.fire({ requestId: m.requestId, outcome: m.outcome });
        return undefined;
      case 'invoice-event':
        this.invoiceEmitter.fire({ invoiceId: m.invoiceId, event: m.event });
        return undefined;
      case 'history-result':
        take(this.historyWaiters, hexOf(m.requestId))?.resolve(m.page);
        return undefined;
      case 'friend-token-result':
        take(this.tokenWaiters, hexOf(m.requestId))?.resolve(m.token);
        return undefined;
      default:
        return 'the node sent a message of an unknown kind';
    }
  }

  private shutdown(e: AppConnectionClosedError): void {
    if (this.closeError !== undefined) return;
    this.closeError = e;
    this.transport.close();
    for (const w of this.acks.values()) w.reject(e);
    this.acks.clear();
    for (const map of [this.routeWaiters, this.transactionWaiters, this.statusWaiters, this.historyWaiters, this.tokenWaiters] as Map<string, Waiter<unknown>[]>[]) {
      for (const list of map.values()) for (const w of list) w.reject(e);
      map.clear();
    }
    this.resolveClosed(e);
    this.closeEmitter.fire(e);
  }
}
