/** The app report (app/node-report.ts) computed from the node's state, and the mutations that
 *  turn one report into the next. Pure. */
import { encode } from '../codec/index.ts';
import {
  type FriendCurrencyReport, type FriendReport, type NodeReport, type OpenInvoiceReport, type OpenPaymentReport,
  type ReportMutation, compareCurrencies, friendReport, namedIndexServerAddress, namedRelayAddress,
  openInvoiceReport, openPaymentReport,
} from '../app/index.ts';
import { type FriendState, type FunderState, fromHex, toHex as hexOf } from '../funder/index.ts';
import type { CurrencyTerms, NodeConfig } from './wire.ts';

/** What each friend last told us it grants us, by friend (hex) and currency. */
export type PeerTerms = ReadonlyMap<string, ReadonlyMap<string, CurrencyTerms>>;

function currencies(f: FriendState, terms: ReadonlyMap<string, CurrencyTerms> | undefined): FriendCurrencyReport[] {
  const ch = f.channel;
  const tc = ch.kind === 'consistent' ? ch.tc : undefined;
  // agreed starting balances of currencies not active yet, kept through an inconsistency too
  const initial = ch.kind === 'consistent' ? ch.tc.initialBalances : ch.initialBalances;
  const names = new Set<string>(f.currencyConfigs.keys());
  if (tc !== undefined) for (const c of tc.mutualCredits.keys()) names.add(c);
  for (const c of initial?.keys() ?? []) names.add(c);
  return [...names].sort(compareCurrencies).map((c) => {
    const cfg = f.currencyConfigs.get(c);
    const mc = tc?.mutualCredits.get(c);
    const t = terms?.get(c);
    return {
      currency: c,
      balance: mc?.balance ?? initial?.get(c) ?? 0n,
      localMaxDebt: t?.maxDebt ?? 0n,
      remoteMaxDebt: cfg?.remoteMaxDebt ?? 0n,
      localPendingDebt: mc?.localPendingDebt ?? 0n,
      remotePendingDebt: mc?.remotePendingDebt ?? 0n,
      rate: cfg?.rate ?? { mul: 0, add: 0 },
      localRequestsOpen: cfg?.isOpen ?? false,
      remoteRequestsOpen: t?.isOpen ?? false,
    };
  });
}

function friendOf(state: FunderState, k: string, f: FriendState, terms: PeerTerms): FriendReport {
  const ch = f.channel;
  return {
    publicKey: f.remotePublicKey,
    name: f.name,
    relays: f.remoteRelays.map((r) => ({ publicKey: r.publicKey, address: r.address })),
    enabled: f.enabled,
    online: state.online.has(k),
    channel: ch.kind === 'consistent'
      ? { kind: 'consistent' }
      : {
        kind: 'inconsistent',
        localResetTerms: ch.localTerms.balanceForReset.map((b) => ({ currency: b.currency, balance: b.balance })),
        remoteResetTerms: ch.remoteTerms === undefined ? undefined : {
          resetToken: ch.remoteTerms.resetToken,
          balanceForReset: ch.remoteTerms.balanceForReset.map((b) => ({ currency: b.currency, balance: b.balance })),
        },
      },
    currencies: currencies(f, terms.get(k)),
  };
}

/** Reports built earlier, by the (immutable) state objects they came from: an unchanged friend,
 *  payment or invoice yields the very same report object, which diffReport skips at once. */
export interface ReportCache {
  readonly friends: WeakMap<FriendState, { online: boolean; terms: unknown; report: FriendReport }>;
  readonly payments: WeakMap<object, OpenPaymentReport>;
  readonly invoices: WeakMap<object, OpenInvoiceReport>;
}
export function createReportCache(): ReportCache {
  return { friends: new WeakMap(), payments: new WeakMap(), invoices: new WeakMap() };
}

function cached<K extends object, V>(map: WeakMap<K, V>, key: K, make: () => V): V {
  const hit = map.get(key);
  if (hit !== undefined) return hit;
  const v = make();
  map.set(key, v);
  return v;
}

/** Ranks by friend order, made once per (immutable) order. */
const ranks = new WeakMap<readonly Uint8Array[], ReadonlyMap<string, number>>();

/** Friends in the order they were added (config.friendOrder), any not listed after them. */
function ordered(state: FunderState, config: NodeConfig): [string, FriendState][] {
  const rank = cached(ranks, config.friendOrder, () => new Map(config.friendOrder.map((k, i) => [hexOf(k), i])));
  const n = rank.size;
  return [...state.friends].sort(([a], [b]) => (rank.get(a) ?? n) - (rank.get(b) ?? n));
}

export function buildReport(
  state: FunderState, config: NodeConfig, terms: PeerTerms, connectedIndexServer: Uint8Array | undefined,
  cache: ReportCache = createReportCache(), listeningRelays: readonly Uint8Array[] = [],
): NodeReport {
  const openInvoices: OpenInvoiceReport[] = [...state.openInvoices].map(([k, inv]) => cached(cache.invoices, inv, () => ({
    invoiceId: fromHex(k), currency: inv.currency, totalDestPayment: inv.totalDestPayment,
    paidDestPayment: inv.incoming.reduce((s, t) => s + t.destPayment, 0n),
  })));
  const openPayments: OpenPaymentReport[] = [...state.payments].map(([k, p]) => cached(cache.payments, p, () => ({
    paymentId: fromHex(k), invoiceId: p.invoiceId, currency: p.currency, totalDestPayment: p.totalDestPayment,
    destPublicKey: p.destPublicKey, stage: p.stage.kind,
    numTransactions: 'numTransactions' in p.stage ? p.stage.numTransactions : 0,
  })));
  const friends = ordered(state, config).map(([k, f]) => {
    const online = state.online.has(k);
    const t = terms.get(k);
    const hit = cache.friends.get(f);
    if (hit !== undefined && hit.online === online && hit.terms === t) return hit.report;
    const report = friendOf(state, k, f, terms);
    cache.friends.set(f, { online, terms: t, report });
    return report;
  });
  return {
    localPublicKey: state.localPublicKey,
    relays: state.relays,
    indexServers: config.indexServers,
    connectedIndexServer,
    friends,
    openInvoices,
    openPayments,
    connectedRelays: connectedRelaysOf(state.relays, listeningRelays),
  };
}

/** The relays we listen on, in the order of our relays; undefined for none (the wire's form). */
function connectedRelaysOf(relays: readonly { readonly publicKey: Uint8Array }[], listening: readonly Uint8Array[]): Uint8Array[] | undefined {
  const on = new Set(listening.map(hexOf));
  const out = relays.filter((r) => on.has(hexOf(r.publicKey))).map((r) => r.publicKey);
  return out.length === 0 ? undefined : out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Upserts and removals, keyed as the reducer (app/report.ts) keys them, that take `prev` to `next`. */
export function diffReport(prev: NodeReport, next: NodeReport): ReportMutation[] {
  const out: ReportMutation[] = [];
  const section = <T>(
    a: readonly T[], b: readonly T[], key: (x: T) => Uint8Array, enc: (x: T) => Uint8Array,
    upsert: (x: T) => ReportMutation, remove: (k: Uint8Array) => ReportMutation,
  ): void => {
    if (a.length === b.length && a.every((x, i) => x === b[i])) return; // nothing changed
    const before = new Map(a.map((x) => [hexOf(key(x)), x]));
    const after = new Set<string>();
    for (const x of b) {
      const k = hexOf(key(x));
      after.add(k);
      const old = before.get(k);
      if (old === x) continue;
      if (old === undefined || !sameBytes(enc(old), enc(x))) out.push(upsert(x));
    }
    for (const x of a) if (!after.has(hexOf(key(x)))) out.push(remove(key(x)));
  };
  section(prev.relays, next.relays, (r) => r.publicKey, (r) => encode(namedRelayAddress, r),
    (relay) => ({ kind: 'add-relay', relay }), (publicKey) => ({ kind: 'remove-relay', publicKey }));
  section(prev.indexServers, next.indexServers, (s) => s.publicKey, (s) => encode(namedIndexServerAddress, s),
    (server) => ({ kind: 'add-index-server', server }), (publicKey) => ({ kind: 'remove-index-server', publicKey }));
  const a = prev.connectedIndexServer;
  const b = next.connectedIndexServer;
  if ((a === undefined) !== (b === undefined) || (a !== undefined && b !== undefined && hexOf(a) !== hexOf(b))) {
    out.push({ kind: 'set-connected-index-server', publicKey: b });
  }
  const ra = (prev.connectedRelays ?? []).map(hexOf).join();
  const rb = (next.connectedRelays ?? []).map(hexOf).join();
  if (ra !== rb) out.push({ kind: 'set-connected-relays', publicKeys: next.connectedRelays });
  section(prev.friends, next.friends, (f) => f.publicKey, (f) => encode(friendReport, f),
    (friend) => ({ kind: 'add-friend', friend }), (publicKey) => ({ kind: 'remove-friend', publicKey }));
  section(prev.openInvoices, next.openInvoices, (i) => i.invoiceId, (i) => encode(openInvoiceReport, i),
    (invoice) => ({ kind: 'set-open-invoice', invoice }), (invoiceId) => ({ kind: 'remove-open-invoice', invoiceId }));
  section(prev.openPayments, next.openPayments, (p) => p.paymentId, (p) => encode(openPaymentReport, p),
    (payment) => ({ kind: 'set-open-payment', payment }), (paymentId) => ({ kind: 'remove-open-payment', paymentId }));
  return out;
}
