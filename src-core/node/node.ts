/** The node (docs/node.md): funder + channeler + index client + app server + store, composed.
 *  One serial loop: every input (an app request, a friend's message or liveness, a tick) is one
 *  job: step the funder → append its mutations to the journal and wait for the fsync → only then
 *  let messages out, answer apps and update the index server (write-ahead, ARCHITECTURE §4). */
import { type FSWatcher, watch } from 'node:fs';
import { encode } from '../codec/index.ts';
import { type CryptoBackend, identityFromSeed } from '../crypto/index.ts';
import { type Clock, type FrameStream, type SecureChannel, type Timer, secureChannel } from '../net/index.ts';
import { type TcpServer, tcpConnect, tcpListen } from '../net/tcp.node.ts';
import { type Channeler, createChanneler } from '../channeler/index.ts';
import { IndexClient } from '../index/index.ts';
import {
  type AckResult, type AppRequest, type AppRequestContext, AppServerSession, type NodeReport, type NodeToApp,
  type AppPermissions, type HistoryFilter, type MessageTransport, type RoutesOutcome, MAX_FRIENDS, MAX_INDEX_SERVERS, MAX_MUTATIONS_PER_MESSAGE,
  MAX_OPEN_INVOICES, MAX_OPEN_PAYMENTS, MAX_ROUTES_PER_MULTI_ROUTE, ackError, ackOk, hexOf,
} from '../app/index.ts';
import {
  type AppRequest as FunderRequest, type AppResult, type Env, type FunderEvent, type FunderState, type Outgoing,
  afterRestart, applyMutation, fromHex, funderStateCodec, sealedLockOpener, step, toHex, withVerifyMemo,
} from '../funder/index.ts';
import type { HistoryQuery, HistoryRow, NodeStore } from '../store/index.node.ts';
import { type Capacity, capacities } from './capacities.ts';
import { describeAppError } from './errors.ts';
import { type FriendMessageStats, createFriendIntake } from './intake.ts';
import { historyRows } from './history.ts';
import { historyPageFor, lastSignedToken } from './history-reads.ts';
import { loadNodeState } from './load.ts';
import { type PeerTerms, buildReport, createReportCache, diffReport } from './report.ts';
import { readTrustedApps } from './trusted.ts';
import {
  type CurrencyTerms, type NodeConfig, type NodeRecord, SNAPSHOT_FUNDER, SNAPSHOT_NODE, decodePeerMessage, encodePeerMessage,
  nodeConfigCodec, nodeRecordCodec, reconcileFriendOrder,
} from './wire.ts';

export interface NodeOptions {
  /** The node's identity seed (the ident file's private key). */
  readonly identitySeed: Uint8Array;
  /** Opened for this identity (openNodeStore); the node closes it. */
  readonly store: NodeStore;
  readonly crypto: CryptoBackend;
  readonly clock: Clock;
  readonly random: (n: number) => Uint8Array;
  /** Where apps connect ("host:port"; port 0 picks a free one). Absent: no TCP listener until
   *  `listen` (the wallet serves its own UI through `attachApp`). */
  readonly listenAddress?: string;
  /** Directory of app tickets (stmgr app-ticket): only these apps get in over TCP. */
  readonly trustedDir?: string;
  /** Opens a transport to relays and index servers; TCP by default. */
  readonly dial?: (address: string) => Promise<FrameStream>;
  /** Funder ticks (payment deadlines; re-offering an unanswered token). Default 5 s: every tick
   *  re-sends the last token of every friendship where we wait for the friend (docs/node.md). */
  readonly tickMs?: number;
  /** A payment stops starting new parts after this long. Default 5 min. */
  readonly paymentDeadlineMs?: number;
  readonly channel?: { readonly keepaliveMs?: number; readonly timeoutMs?: number };
  /** Least time between two capacity reports to the index server. Default 1 s. */
  readonly indexReportIntervalMs?: number;
  readonly log?: (line: string) => void;
  /** Called once if the node cannot go on (e.g. the disk failed); the node has stopped. */
  readonly onFatal?: (e: Error) => void;
}

export interface RunningNode {
  readonly publicKey: Uint8Array;
  /** The bound app address ("host:port"), while listening. */
  readonly appAddress: string | undefined;
  /** The report apps see now. */
  report(): NodeReport;
  /** Serves an in-process app (the wallet's UI) on `transport` (e.g. one end of transportPair),
   *  with `permissions`; resolves once the app has its report. */
  attachApp(transport: MessageTransport, permissions: AppPermissions): Promise<void>;
  /** Starts accepting apps over TCP whose tickets are in `trustedDir` (stctrl access); returns
   *  the bound address. */
  listen(address: string, trustedDir: string): Promise<string>;
  /** Stops accepting apps over TCP and disconnects those connected that way. */
  stopListening(): Promise<void>;
  /** Re-reads the trusted directory now (it is also watched): an app whose ticket is gone or
   *  changed is disconnected before this resolves (a revoked ticket stops working at once). */
  refreshTrusted(): Promise<void>;
  /** Payments and invoices as the wallet lists them (history.ts), durable ones only. */
  queryHistory(q?: HistoryQuery): HistoryRow[];
  /** A friend's messages through the node: processed so far, in the node now, and the most there
   *  were at once (at most MAX_QUEUED_FRIEND_MESSAGES; past it the friend is held back). */
  friendMessages(friend: Uint8Array): FriendMessageStats;
  /** Stops listening, closes apps and friends, checkpoints and closes the store. Idempotent. */
  close(): Promise<void>;
}

interface Session {
  readonly session: AppServerSession;
  readonly appKey: string;
}

/** A job's answer, settled once its records are durable and its outputs have left. */
interface Pending { readonly done: Promise<AckResult> }
const settled = (a: AckResult): Promise<Pending> => Promise.resolve({ done: Promise.resolve(a) });

/** Session key of apps attached in-process (never a hex public key). */
const LOCAL_APP = 'local';
/** Messages from one friend in the node at once, from the channeler handing one over until its
 *  job has settled (durable, outputs gone). An honest friend has a few at most (a token, its
 *  answer, terms); at this many the channeler stops reading the friend's channel until one has
 *  settled, so a flooding friend is slowed down by TCP backpressure and nothing is dropped
 *  (intake.ts). Messages are up to 1 MiB, so this also bounds the bytes held per friend. */
export const MAX_QUEUED_FRIEND_MESSAGES = 16;

const appEvent = (requestId: Uint8Array, request: FunderRequest): FunderEvent => ({ kind: 'app-request', requestId, request });

export async function startNode(opts: NodeOptions): Promise<RunningNode> {
  const { store, crypto, clock, random } = opts;
  const log = opts.log ?? (() => {});
  const signer = identityFromSeed(crypto, opts.identitySeed);
  const loaded = loadNodeState(store, signer.publicKey);
  let state: FunderState = afterRestart(loaded.funder);
  /** History rows appended but not yet durable (the store shows rows once durable): the next
   *  step's rows build on them. */
  const unflushedRows = new Map<string, HistoryRow>();
  let config: NodeConfig = loaded.config;
  const unseal = sealedLockOpener(crypto, opts.identitySeed);
  // the funder's own crypto: a forwarded response's signature is checked once, not twice
  const funderCrypto = withVerifyMemo(crypto);
  const funderSigner = identityFromSeed(funderCrypto, opts.identitySeed);
  const env = (): Env => ({ now: clock.now(), random, signer: funderSigner, crypto: funderCrypto, unseal });
  const dial = opts.dial ?? ((address: string) => tcpConnect(address));

  const sessions = new Set<Session>();
  const peerTerms = new Map<string, Map<string, CurrencyTerms>>();
  /** Per friend: its messages in the node; holds the channeler back past the bound. */
  const intake = createFriendIntake(MAX_QUEUED_FRIEND_MESSAGES);
  const sentTerms = new Map<string, string>();
  /** The currency configurations the terms in sentTerms were made from. */
  const termsFrom = new Map<string, unknown>();
  let reported = new Map<string, Capacity>();
  let closing = false;
  let failed: Error | undefined;
  let chain: Promise<unknown> = Promise.resolve();

  /** Runs `job` after every job queued before it; one at a time. */
  function enqueue<T>(job: () => Promise<T>): Promise<T> {
    const p = chain.then(() => {
      if (failed !== undefined) throw failed;
      return job();
    });
    chain = p.catch(() => {});
    return p;
  }

  function fatal(e: unknown): void {
    if (failed !== undefined) return;
    failed = e instanceof Error ? e : new Error(String(e));
    log(`fatal: ${failed.message}`);
    void shutdown().finally(() => opts.onFatal?.(failed as Error));
  }

  /** An input whose processing threw (a bug, never storage: that is fatal through persist) is
   *  dropped with a log line; the state is untouched (a job commits its state only at its end). */
  const dropped = (what: string) => (e: unknown): void => {
    if (failed === undefined) log(`${what} dropped: ${e instanceof Error ? e.message : String(e)}`);
  };

  const channeler: Channeler = createChanneler({
    identity: signer, crypto, clock, dial, random, log,
    ...(opts.channel?.keepaliveMs !== undefined ? { keepaliveMs: opts.channel.keepaliveMs } : {}),
    ...(opts.channel?.timeoutMs !== undefined ? { timeoutMs: opts.channel.timeoutMs } : {}),
    onRelaysChange: () => {
      if (closing) return;
      void enqueue(async () => {
        void afterDurable(Promise.resolve(), () => {}, { s: state, cfg: config }).catch(dropped('relay connection change'));
      }).catch(dropped('relay connection change'));
    },
    onEvent: (e) => {
      if (closing) return undefined;
      const k = toHex(e.friend);
      if (e.kind === 'online') {
        void enqueue(() => { sentTerms.delete(k); return runFunder([{ kind: 'friend-online', friend: e.friend }]); }).then((r) => r.done).catch(dropped('friend online'));
      } else if (e.kind === 'offline') {
        void enqueue(() => runFunder([{ kind: 'friend-offline', friend: e.friend }])).then((r) => r.done).catch(dropped('friend offline'));
      } else {
        const m = decodePeerMessage(e.message);
        if (!m.ok) { log(`friend ${k.slice(0, 16)}: malformed message dropped (${m.error.message})`); return undefined; }
        const msg = m.value;
        const { release, room } = intake.admit(k);
        // settles once the job's records are durable and its outputs have left
        const job: Promise<unknown> = msg.kind === 'funder'
          ? enqueue(() => runFunder([{ kind: 'friend-message', from: e.friend, message: msg.message }])).then((r) => r.done)
          : enqueue(async () => {
            if (!state.friends.has(k)) return { done: Promise.resolve() };
            peerTerms.set(k, new Map(msg.currencies.map((c) => [c.currency, c])));
            return { done: afterDurable(Promise.resolve(), () => {}, { s: state, cfg: config }) };
          }).then((r) => r.done);
        void job.catch(dropped(msg.kind === 'funder' ? 'friend message' : 'friend terms')).finally(release);
        return room;
      }
      return undefined;
    },
  });

  const indexClient = new IndexClient({
    identity: signer, crypto, clock, random, connect: dial, log,
    servers: config.indexServers.map((s) => ({ publicKey: s.publicKey, address: s.address })),
    ...(opts.indexReportIntervalMs !== undefined ? { minReportIntervalMs: opts.indexReportIntervalMs } : {}),
  });
  indexClient.onDidChangeConnection(() => {
    if (closing) return;
    void enqueue(async () => {
      void afterDurable(Promise.resolve(), () => {}, { s: state, cfg: config }).catch(dropped('index connection change'));
    }).catch(dropped('index connection change'));
  });

  const reportCache = createReportCache();
  let report: NodeReport = buildReport(state, config, peerTerms, undefined, reportCache);

  /** A storage failure stops the node: it cannot promise anything it cannot write down. */
  async function persist(op: () => Promise<void>): Promise<void> {
    try {
      await op();
    } catch (e) {
      fatal(e);
      throw e;
    }
  }

  function snapshots(): Map<string, Uint8Array> {
    return new Map([[SNAPSHOT_FUNDER, encode(funderStateCodec, state)], [SNAPSHOT_NODE, encode(nodeConfigCodec, config)]]);
  }

  function broadcast(m: NodeToApp, needs?: 'buyer' | 'seller'): void {
    for (const s of sessions) if (needs === undefined || s.session.permissions[needs]) void s.session.send(m);
  }

  function dispatch(m: Outgoing): void {
    switch (m.kind) {
      case 'friend-message':
        void channeler.send(m.to, encodePeerMessage({ kind: 'funder', message: m.message }));
        return;
      case 'set-relays':
        channeler.setRelays(m.relays);
        return;
      case 'update-friend':
        channeler.updateFriend({ publicKey: m.friend, relays: m.remoteRelays });
        return;
      case 'remove-friend':
        channeler.removeFriend(m.friend);
        peerTerms.delete(toHex(m.friend));
        sentTerms.delete(toHex(m.friend));
        intake.forget(toHex(m.friend));
        return;
    }
  }

  function termsFor(s: FunderState, k: string): CurrencyTerms[] {
    const f = s.friends.get(k);
    if (f === undefined) return [];
    return [...f.currencyConfigs].map(([currency, c]) => ({ currency, maxDebt: c.remoteMaxDebt, isOpen: c.isOpen }));
  }

  /** Outputs leave in job order, each only once its own records are durable (write-ahead);
   *  meanwhile the loop already steps the next inputs, whose appends share an fsync. `out` sends
   *  the job's messages; with `change`, the returned promise also waits for a report (and index
   *  capacities, terms) that covers the job's state (see refresh), after which `reported` runs
   *  (the job's results to apps: an app that sees a result already has the report with it). */
  let outputs: Promise<unknown> = Promise.resolve();
  function afterDurable(durable: Promise<void>, out: () => Promise<void> | void, change?: Derived, reported?: () => void): Promise<void> {
    const sent = Promise.all([outputs, durable]).then(async () => {
      await out();
      // called in job order, so `want` is always the newest durable state and the `reported`
      // callbacks run in job order; wrapped so that the chain of outputs does not wait for it
      return { reported: change === undefined ? undefined : refresh(change).then(reported) };
    });
    outputs = sent.catch(() => {});
    return sent.then((x) => x.reported);
  }

  /** The state derived outputs are brought up to date with, once durable. */
  interface Derived { readonly s: FunderState; readonly cfg: NodeConfig }
  let want: Derived | undefined;
  let refreshing: Promise<void> | undefined;
  /** Brings the report, capacities and terms up to `d` (or a newer durable state): jobs made
   *  durable by the same flush share one afterChange, run once their outputs have left
   *  (setImmediate: after the promise callbacks those outputs are). */
  function refresh(d: Derived): Promise<void> {
    want = d;
    refreshing ??= new Promise<void>((resolve) => { setImmediate(resolve); }).then(() => {
      refreshing = undefined;
      const w = want as Derived;
      want = undefined;
      return afterChange(w.s, w.cfg);
    });
    return refreshing;
  }

  /** Everything derived from a job's state, brought up to date once that job is durable. */
  async function afterChange(s: FunderState, cfg: NodeConfig): Promise<void> {
    const next = buildReport(s, cfg, peerTerms, indexClient.connectedServer?.publicKey, reportCache, channeler.listeningRelays());
    const mutations = diffReport(report, next);
    report = next;
    for (let i = 0; i < mutations.length; i += MAX_MUTATIONS_PER_MESSAGE) {
      broadcast({ kind: 'report-mutations', mutations: mutations.slice(i, i + MAX_MUTATIONS_PER_MESSAGE) });
    }
    const caps = capacities(s, peerTerms);
    for (const [key, c] of reported) if (!caps.has(key)) indexClient.setCapacity(c.friend, c.currency, undefined);
    for (const c of caps.values()) {
      indexClient.setCapacity(c.friend, c.currency, { sendCapacity: c.sendCapacity, recvCapacity: c.recvCapacity, rate: c.rate });
    }
    reported = caps;
    for (const k of s.online) {
      // terms derive from the friend's currency configurations alone: unchanged object, same terms
      const configs = s.friends.get(k)?.currencyConfigs;
      if (sentTerms.has(k) && termsFrom.get(k) === configs) continue;
      termsFrom.set(k, configs);
      const terms = termsFor(s, k);
      const bytes = encodePeerMessage({ kind: 'terms', currencies: terms });
      const h = hexOf(bytes);
      if (sentTerms.get(k) === h) continue;
      sentTerms.set(k, h);
      void channeler.send(fromHex(k), bytes);
    }
  }

  /** In the loop, right after an append was issued: the snapshots cover every record issued. */
  async function maybeCheckpoint(): Promise<void> {
    if (store.checkpointDue) await persist(() => store.checkpoint(snapshots()));
  }

  /** Steps the funder through `events` (stopping at the first refused app request), persists
   *  the mutations, then lets the outputs out. Returns the acks. */
  async function runFunder(events: readonly FunderEvent[], extra: readonly NodeRecord[] = []): Promise<{ done: Promise<AppResult[]> }> {
    const before = state;
    let s = state;
    const records: Uint8Array[] = [];
    const messages: Outgoing[] = [];
    const results: AppResult[] = [];
    for (const e of events) {
      const out = step(s, e, env());
      for (const m of out.mutations) {
        s = applyMutation(s, m);
        records.push(encode(nodeRecordCodec, { kind: 'funder', mutation: m }));
      }
      messages.push(...out.messages);
      results.push(...out.results);
      if (out.results.some((r) => r.kind === 'ack' && r.error !== undefined)) break;
    }
    for (const r of extra) records.push(encode(nodeRecordCodec, r));
    const order = reconcileFriendOrder(config.friendOrder, s.friends);
    if (order !== config.friendOrder) {
      config = { ...config, friendOrder: order };
      records.push(encode(nodeRecordCodec, { kind: 'config', config }));
    }
    state = s;
    // The history is derived from the step: a bug there must not keep the step's mutations (the
    // money) from the journal, nor the messages from the friends; the state is already advanced.
    let history: HistoryRow[] = [];
    try {
      history = historyRows(before, s, results, clock.now(), events, crypto, (id) => unflushedRows.get(id) ?? store.historyRow(id));
    } catch (e) {
      log(`history rows of a step not written: ${e instanceof Error ? e.message : String(e)}`);
    }
    const durable = records.length > 0 || history.length > 0 ? persist(() => store.append(records, history)) : Promise.resolve();
    for (const r of history) unflushedRows.set(r.id, r);
    const forget = (): void => { for (const r of history) if (unflushedRows.get(r.id) === r) unflushedRows.delete(r.id); };
    void durable.then(forget, forget); // also handles the rejection (persist has made it fatal)
    await maybeCheckpoint();
    const cfg = config;
    const acks = results.filter((r) => r.kind === 'ack');
    const done = afterDurable(durable, () => {
      for (const m of messages) dispatch(m);
    }, { s, cfg }, () => emitResults(results)).then(() => acks);
    return { done };
  }

  function emitResults(results: readonly AppResult[]): void {
    for (const r of results) {
      if (r.kind === 'ack') continue;
      if (r.kind === 'transaction-result') {
        broadcast({ kind: 'transaction-result', transactionId: r.requestId, outcome: r.result }, 'buyer');
      } else if (r.kind === 'payment-status') {
        broadcast({ kind: 'payment-status', paymentId: r.paymentId, status: r.status }, 'buyer');
      } else {
        broadcast({ kind: 'invoice-event', invoiceId: r.invoiceId, event: r.event }, 'seller');
      }
    }
  }

  async function funderRequests(requests: readonly FunderRequest[]): Promise<Pending> {
    const events = requests.map((r) => appEvent(random(16), r));
    const { done } = await runFunder(events);
    return {
      done: done.then((acks) => {
        for (const a of acks) {
          if (a.kind === 'ack' && a.error !== undefined) return ackError(a.error, describeAppError(a.error));
        }
        return ackOk;
      }),
    };
  }

  async function setConfig(next: NodeConfig): Promise<Pending> {
    config = next;
    const durable = persist(() => store.append([encode(nodeRecordCodec, { kind: 'config', config: next })]));
    durable.catch(() => {});
    await maybeCheckpoint();
    const snap = state;
    return {
      done: afterDurable(durable, () => {
        indexClient.setServers(next.indexServers.map((x) => ({ publicKey: x.publicKey, address: x.address })));
      }, { s: snap, cfg: next }).then(() => ackOk),
    };
  }

  function requestRoutes(s: Session, req: Extract<AppRequest, { kind: 'request-routes' }>, requestId: Uint8Array): AckResult {
    if (config.indexServers.length === 0) return ackError('not-connected', 'no index server is configured (stctrl config add-index)');
    void indexClient.requestRoutes({ destination: req.destination, currency: req.currency, amount: req.amount, source: req.source })
      .then((r) => {
        let outcome: RoutesOutcome;
        if (!r.ok) {
          log(`route request failed: ${r.error.kind}`);
          outcome = { kind: 'failure' };
        } else {
          const ex = req.exclude;
          const routes = r.value.filter((x) => ex === undefined || !x.route.some((k, i) => {
            const n = x.route[i + 1];
            return n !== undefined && hexOf(k) === hexOf(ex.from) && hexOf(n) === hexOf(ex.to);
          })).slice(0, MAX_ROUTES_PER_MULTI_ROUTE);
          outcome = { kind: 'success', multiRoutes: routes.length === 0 ? [] : [{ routes: routes.map((x) => ({ route: x.route, capacity: x.capacity, rate: x.rate })) }] };
        }
        // after the request's Ack, which the session sends once this handler has returned
        setImmediate(() => { void s.session.send({ kind: 'routes-result', requestId, outcome }); });
      });
    return ackOk;
  }

  /** An app request the session has already checked against the app's permissions. */
  function handle(s: Session, req: AppRequest, ctx: AppRequestContext): Promise<AckResult> | AckResult {
    switch (req.kind) {
      case 'request-routes':
        return requestRoutes(s, req, ctx.requestId);
      case 'add-index-server':
        return enqueue(() => {
          const rest = config.indexServers.filter((x) => hexOf(x.publicKey) !== hexOf(req.server.publicKey));
          // past the list's maximum the configuration could no longer be stored nor reported
          if (rest.length >= MAX_INDEX_SERVERS) return settled(ackError('max-index-servers-reached', `at most ${MAX_INDEX_SERVERS} index servers`));
          return setConfig({ ...config, indexServers: [...rest, req.server] });
        }).then((p) => p.done);
      case 'query-history':
        return queryHistoryPage(s, req.filter, ctx.requestId);
      case 'query-friend-token':
        return friendToken(s, req.friendPublicKey, ctx.requestId);
      case 'remove-index-server':
        return enqueue(() => {
          const rest = config.indexServers.filter((x) => hexOf(x.publicKey) !== hexOf(req.publicKey));
          if (rest.length === config.indexServers.length) return settled(ackError('index-server-not-found', 'no index server has this public key'));
          return setConfig({ ...config, indexServers: rest });
        }).then((p) => p.done);
      default:
        return enqueue(() => funderRequest(req)).then((p) => p.done);
    }
  }

  /** query-history: one page of durable rows (history-reads.ts), sent before the ack. */
  async function queryHistoryPage(s: Session, filter: HistoryFilter, requestId: Uint8Array): Promise<AckResult> {
    const page = historyPageFor(store, filter);
    await s.session.send({ kind: 'history-result', requestId, page });
    return ackOk;
  }

  /** query-friend-token: the friend's last signed move token, as the funder keeps it. */
  async function friendToken(s: Session, friendPublicKey: Uint8Array, requestId: Uint8Array): Promise<AckResult> {
    const f = state.friends.get(toHex(friendPublicKey));
    if (f === undefined) return ackError('friend-does-not-exist', describeAppError('friend-does-not-exist'));
    await s.session.send({ kind: 'friend-token-result', requestId, token: lastSignedToken(crypto, f) });
    return ackOk;
  }

  function funderRequest(req: Exclude<AppRequest, { kind: 'request-routes' | 'add-index-server' | 'remove-index-server' | 'query-history' | 'query-friend-token' }>): Promise<Pending> {
    const friend = 'friendPublicKey' in req ? state.friends.get(toHex(req.friendPublicKey)) : undefined;
    switch (req.kind) {
      case 'add-friend': {
        if (friend !== undefined) return settled(ackError('friend-already-exists', 'a friend with this public key exists'));
        // the report (and the node configuration) can carry no more
        if (state.friends.size >= MAX_FRIENDS) return settled(ackError('invalid-request', `a node has at most ${MAX_FRIENDS} friends`));
        const rate = { mul: 0, add: 0 };
        return funderRequests([
          { kind: 'add-friend', friendPublicKey: req.friendPublicKey, relays: req.relays, name: req.name, initialBalances: req.initialBalances },
          ...req.initialBalances.map((b): FunderRequest => ({ kind: 'set-friend-currency-rate', friendPublicKey: req.friendPublicKey, currency: b.currency, rate })),
        ]);
      }
      case 'add-friend-currency':
        if (friend === undefined) return settled(ackError('friend-does-not-exist', describeAppError('friend-does-not-exist')));
        if (friend.currencyConfigs.has(req.currency)) return settled(ackOk);
        return funderRequests([{ kind: 'set-friend-currency-rate', friendPublicKey: req.friendPublicKey, currency: req.currency, rate: { mul: 0, add: 0 } }]);
      case 'remove-relay':
        if (!state.relays.some((r) => hexOf(r.publicKey) === hexOf(req.publicKey))) {
          return settled(ackError('relay-not-found', 'no relay has this public key'));
        }
        return funderRequests([req]);
      case 'create-payment':
        if (state.payments.size >= MAX_OPEN_PAYMENTS) return settled(ackError('invalid-request', `at most ${MAX_OPEN_PAYMENTS} payments may be open`));
        return funderRequests([{ ...req, deadline: clock.now() + (opts.paymentDeadlineMs ?? 300_000) }]);
      case 'add-invoice':
        if (state.openInvoices.size >= MAX_OPEN_INVOICES) return settled(ackError('invalid-request', `at most ${MAX_OPEN_INVOICES} invoices may be open`));
        return funderRequests([req]);
      case 'create-transaction':
        return funderRequests([{
          kind: 'create-transaction', paymentId: req.paymentId, requestId: req.transactionId, route: req.route,
          destPayment: req.destPayment, fees: req.fees,
        }]);
      default:
        return funderRequests([req]);
    }
  }

  // ---- apps ----

  /** Serves one app on `transport` with `perms`, from the current report on. */
  async function serveApp(transport: MessageTransport, perms: AppPermissions, appKey: string): Promise<AppServerSession> {
    let s!: Session;
    const session = new AppServerSession(transport, perms, { handle: (req, ctx) => handle(s, req, ctx) });
    s = { session, appKey };
    await enqueue(async () => afterDurable(Promise.resolve(), async () => {
      // the report is queued at once, so any report mutation from here on follows it
      const started = session.start(report);
      sessions.add(s);
      await started;
    })).catch((e: unknown) => { sessions.delete(s); session.close(); throw e; });
    void session.done.then(() => sessions.delete(s));
    return session;
  }

  interface Listening { readonly server: TcpServer; readonly watcher: FSWatcher | undefined; readonly dir: string }
  let listening: Listening | undefined;

  async function onApp(raw: FrameStream, dir: string): Promise<void> {
    let ch: SecureChannel;
    try {
      ch = await secureChannel(raw, { identity: signer, crypto, clock });
    } catch (e) {
      log(`app handshake failed: ${(e as Error).message}`);
      raw.close();
      return;
    }
    const trusted = await readTrustedApps(dir, log);
    const appKey = hexOf(ch.remotePublicKey);
    const perms = trusted.get(appKey);
    if (perms === undefined || closing) {
      log(`refused an app without a ticket in ${dir} (public key ${toBase64(ch.remotePublicKey)})`);
      ch.close();
      return;
    }
    await serveApp(ch, perms, appKey);
  }

  /** Re-reads the trusted directory: an app whose ticket went away or changed is disconnected. */
  function retrust(dir: string): Promise<void> {
    return readTrustedApps(dir, log).then((t) => {
      for (const s of sessions) {
        if (s.appKey === LOCAL_APP) continue;
        const p = t.get(s.appKey);
        const q = s.session.permissions;
        if (p === undefined || p.buyer !== q.buyer || p.seller !== q.seller || p.config !== q.config || p.routes !== q.routes) {
          log('an app\'s ticket was removed or changed: its connection is closed');
          s.session.close();
        }
      }
    });
  }

  async function listen(address: string, dir: string): Promise<string> {
    if (listening !== undefined) throw new Error(`already listening for apps on ${listening.server.address}`);
    const server = await tcpListen(address, (stream) => { void onApp(stream, dir).catch((e: unknown) => log(`app: ${(e as Error).message}`)); });
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(dir, () => { if (!closing) void retrust(dir); });
      watcher.on('error', () => {});
    } catch (e) {
      log(`not watching ${dir}: ${(e as Error).message}`);
    }
    listening = { server, watcher, dir };
    return server.address;
  }

  async function stopListening(): Promise<void> {
    const l = listening;
    if (l === undefined) return;
    listening = undefined;
    l.watcher?.close();
    await l.server.close();
    for (const s of sessions) if (s.appKey !== LOCAL_APP) s.session.close();
  }

  if (opts.listenAddress !== undefined) {
    if (opts.trustedDir === undefined) throw new RangeError('listenAddress needs trustedDir');
    try {
      await listen(opts.listenAddress, opts.trustedDir);
    } catch (e) {
      channeler.close();
      indexClient.close();
      throw e;
    }
  }

  // ---- start ----
  indexClient.start();
  await (await enqueue(() => runFunder([{ kind: 'init' }]))).done;
  const tickMs = opts.tickMs ?? 5000;
  let tickTimer: Timer | undefined;
  const tick = (): void => {
    tickTimer = undefined;
    if (closing) return;
    void enqueue(() => runFunder([{ kind: 'tick' }])).then((r) => r.done).catch(dropped('tick')).finally(() => {
      if (!closing) tickTimer = clock.after(tickMs, tick);
    });
  };
  tickTimer = clock.after(tickMs, tick);

  let closed: Promise<void> | undefined;
  function shutdown(): Promise<void> {
    closed ??= (async () => {
      closing = true;
      intake.releaseAll();
      tickTimer?.cancel();
      await stopListening();
      for (const s of sessions) s.session.close();
      channeler.close();
      indexClient.close();
      await chain;
      await outputs;
      await refreshing?.catch(() => {});
      if (failed === undefined) await store.close(snapshots());
      else await store.close().catch(() => {});
    })();
    return closed;
  }

  return {
    publicKey: signer.publicKey,
    get appAddress() { return listening?.server.address; },
    report: () => report,
    attachApp: (transport, permissions) => {
      if (closing) return Promise.reject(new Error('the node is closing'));
      return serveApp(transport, permissions, LOCAL_APP).then(() => undefined);
    },
    listen: (address, trustedDir) => listen(address, trustedDir),
    stopListening,
    refreshTrusted: async () => { if (listening !== undefined) await retrust(listening.dir); },
    queryHistory: (q) => store.queryHistory(q),
    friendMessages: (friend) => intake.stats(toHex(friend)),
    close: shutdown,
  };
}

function toBase64(b: Uint8Array): string {
  return Buffer.from(b).toString('base64url');
}
