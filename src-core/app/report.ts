/** The report reducer: folds a ReportMutation into a NodeReport. Pure and total (STYLE §3): it
 *  never throws, and a mutation naming an unknown friend, relay or id leaves the report as it is
 *  (the same object), so an app's copy can only lag, never break. stctrl, the wallet store and
 *  the node's own tests all use this one function. Browser-safe. */
import type { FriendReport, NodeReport, ReportMutation } from './node-report.ts';
import { compareCurrencies } from './node-report.ts';
import { bytesEqual } from './wire-common.ts';

function upsertBy<T>(list: readonly T[], item: T, same: (a: T) => boolean): readonly T[] {
  const i = list.findIndex(same);
  if (i < 0) return [...list, item];
  const out = list.slice();
  out[i] = item;
  return out;
}

function removeBy<T>(list: readonly T[], same: (a: T) => boolean): readonly T[] {
  return list.some(same) ? list.filter((x) => !same(x)) : list;
}

function updateFriend(report: NodeReport, publicKey: Uint8Array, f: (friend: FriendReport) => FriendReport): NodeReport {
  const i = report.friends.findIndex((x) => bytesEqual(x.publicKey, publicKey));
  if (i < 0) return report;
  const before = report.friends[i] as FriendReport;
  const after = f(before);
  if (after === before) return report;
  const friends = report.friends.slice();
  friends[i] = after;
  return { ...report, friends };
}

export function applyReportMutation(report: NodeReport, m: ReportMutation): NodeReport {
  switch (m.kind) {
    case 'add-relay':
      // As the original: replace a relay with the same key in place, else append
      return { ...report, relays: upsertBy(report.relays, m.relay, (r) => bytesEqual(r.publicKey, m.relay.publicKey)) };
    case 'remove-relay': {
      const relays = removeBy(report.relays, (r) => bytesEqual(r.publicKey, m.publicKey));
      return relays === report.relays ? report : { ...report, relays };
    }
    case 'add-index-server':
      return {
        ...report,
        indexServers: upsertBy(report.indexServers, m.server, (s) => bytesEqual(s.publicKey, m.server.publicKey)),
      };
    case 'remove-index-server': {
      const indexServers = removeBy(report.indexServers, (s) => bytesEqual(s.publicKey, m.publicKey));
      return indexServers === report.indexServers ? report : { ...report, indexServers };
    }
    case 'set-connected-index-server':
      return { ...report, connectedIndexServer: m.publicKey };
    case 'set-connected-relays':
      return { ...report, connectedRelays: m.publicKeys };
    case 'add-friend':
      return { ...report, friends: upsertBy(report.friends, m.friend, (f) => bytesEqual(f.publicKey, m.friend.publicKey)) };
    case 'remove-friend': {
      const friends = removeBy(report.friends, (f) => bytesEqual(f.publicKey, m.publicKey));
      return friends === report.friends ? report : { ...report, friends };
    }
    case 'set-friend-name':
      return updateFriend(report, m.publicKey, (f) => ({ ...f, name: m.name }));
    case 'set-friend-relays':
      return updateFriend(report, m.publicKey, (f) => ({ ...f, relays: m.relays }));
    case 'set-friend-enabled':
      return updateFriend(report, m.publicKey, (f) => ({ ...f, enabled: m.enabled }));
    case 'set-friend-online':
      return updateFriend(report, m.publicKey, (f) => ({ ...f, online: m.online }));
    case 'set-friend-channel':
      return updateFriend(report, m.publicKey, (f) => ({ ...f, channel: m.channel }));
    case 'set-friend-currency':
      return updateFriend(report, m.publicKey, (f) => {
        // Kept sorted by currency, as the report's codec requires
        const rest = f.currencies.filter((c) => c.currency !== m.currency.currency);
        const currencies = [...rest, m.currency].sort((a, b) => compareCurrencies(a.currency, b.currency));
        return { ...f, currencies };
      });
    case 'remove-friend-currency': {
      return updateFriend(report, m.publicKey, (f) => {
        const currencies = removeBy(f.currencies, (c) => c.currency === m.currency);
        return currencies === f.currencies ? f : { ...f, currencies };
      });
    }
    case 'set-open-invoice':
      return {
        ...report,
        openInvoices: upsertBy(report.openInvoices, m.invoice, (i) => bytesEqual(i.invoiceId, m.invoice.invoiceId)),
      };
    case 'remove-open-invoice': {
      const openInvoices = removeBy(report.openInvoices, (i) => bytesEqual(i.invoiceId, m.invoiceId));
      return openInvoices === report.openInvoices ? report : { ...report, openInvoices };
    }
    case 'set-open-payment':
      return {
        ...report,
        openPayments: upsertBy(report.openPayments, m.payment, (p) => bytesEqual(p.paymentId, m.payment.paymentId)),
      };
    case 'remove-open-payment': {
      const openPayments = removeBy(report.openPayments, (p) => bytesEqual(p.paymentId, m.paymentId));
      return openPayments === report.openPayments ? report : { ...report, openPayments };
    }
    default:
      // A value the type system rules out (e.g. from a newer peer through an unchecked path): ignore it
      return report;
  }
}

export function applyReportMutations(report: NodeReport, ms: readonly ReportMutation[]): NodeReport {
  return ms.reduce(applyReportMutation, report);
}

/** An empty report for a node that has nothing configured yet. */
export function emptyReport(localPublicKey: Uint8Array): NodeReport {
  return {
    localPublicKey, relays: [], indexServers: [], connectedIndexServer: undefined, friends: [], openInvoices: [], openPayments: [],
  };
}

export function findFriendByName(report: NodeReport, name: string): FriendReport | undefined {
  return report.friends.find((f) => f.name === name);
}

export function findFriend(report: NodeReport, publicKey: Uint8Array): FriendReport | undefined {
  return report.friends.find((f) => bytesEqual(f.publicKey, publicKey));
}
