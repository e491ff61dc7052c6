/** App requests (reference/funder.md §5.6): configuration, buyer and seller operations. Every
 *  request gets exactly one ack; a refused request changes nothing. */
import { MAX_ACTIVE_CURRENCIES, MAX_NODE_RELAYS, isValidCurrency } from '../proto/index.ts';
import { bytesEqual } from '../crypto/index.ts';
import { I128_MAX, inU128 } from './amounts.ts';
import { createPayment, createTransaction } from './buyer.ts';
import { cancelLocalPending, cancelQueuedRequests, forgetQueuedFrom } from './cancel.ts';
import type { Draft } from './draft.ts';
import type { AppErrorCode, AppRequest } from './events.ts';
import { type Hex, toHex } from './hex.ts';
import { ackClose, requestClose } from './payment-stage.ts';
import { rateEquals } from './rate.ts';
import { addInvoice, cancelInvoice, commitInvoice } from './seller.ts';
import { isWellFormedRequest } from './validate-request.ts';
import { type CurrencyConfig, type FriendState, defaultCurrencyConfig, localRelaysFor, newFriend } from './state.ts';

function updateChanneler(d: Draft, f: FriendState): void {
  if (f.enabled) d.emit({ kind: 'update-friend', friend: f.remotePublicKey, remoteRelays: f.remoteRelays, localRelays: localRelaysFor(f) });
}

function withConfig(d: Draft, k: Hex, currency: string, change: (c: CurrencyConfig) => CurrencyConfig): AppErrorCode | undefined {
  const f = d.friend(k);
  if (f === undefined) return 'friend-does-not-exist';
  if (!isValidCurrency(currency)) return 'invalid-currency';
  const old = f.currencyConfigs.get(currency);
  if (old === undefined && f.currencyConfigs.size >= MAX_ACTIVE_CURRENCIES) return 'too-many-currencies';
  const next = change(old ?? defaultCurrencyConfig);
  if (old !== undefined && next === old) return undefined;
  const configs = new Map(f.currencyConfigs);
  configs.set(currency, next);
  d.setFriend({ ...f, currencyConfigs: configs });
  d.trySend(k);
  return undefined;
}

function configRequest(d: Draft, r: AppRequest): AppErrorCode | undefined {
  switch (r.kind) {
    case 'add-relay': {
      const k = toHex(r.relay.publicKey);
      const others = d.state.relays.filter((x) => toHex(x.publicKey) !== k);
      if (others.length >= MAX_NODE_RELAYS) return 'max-node-relays-reached';
      d.state = { ...d.state, relays: [...others, r.relay] };
      d.emit({ kind: 'set-relays', relays: d.state.relays.map((x) => ({ publicKey: x.publicKey, address: x.address })) });
      for (const f of d.state.friends.keys()) d.trySend(f);
      return undefined;
    }
    case 'remove-relay': {
      const k = toHex(r.publicKey);
      d.state = { ...d.state, relays: d.state.relays.filter((x) => toHex(x.publicKey) !== k) };
      d.emit({ kind: 'set-relays', relays: d.state.relays.map((x) => ({ publicKey: x.publicKey, address: x.address })) });
      for (const f of d.state.friends.keys()) d.trySend(f);
      return undefined;
    }
    case 'add-friend': {
      if (bytesEqual(r.friendPublicKey, d.localPublicKey)) return 'friend-is-self';
      const k = toHex(r.friendPublicKey);
      if (d.friend(k) !== undefined) return undefined;
      const initial = new Map<string, bigint>();
      for (const { currency, balance } of r.initialBalances ?? []) {
        if (!isValidCurrency(currency)) return 'invalid-currency';
        if (balance < -I128_MAX || balance > I128_MAX || initial.has(currency)) return 'invalid-amount';
        if (balance !== 0n) initial.set(currency, balance);
      }
      const f = newFriend(d.env.crypto, d.localPublicKey, r.friendPublicKey, r.relays, r.name);
      if (initial.size > 0 && f.channel.kind === 'consistent') {
        d.setFriend({ ...f, channel: { ...f.channel, tc: { ...f.channel.tc, initialBalances: initial } } });
      } else {
        d.setFriend(f);
      }
      return undefined;
    }
    case 'remove-friend': {
      const k = toHex(r.friendPublicKey);
      if (d.friend(k) === undefined) return 'friend-does-not-exist';
      cancelLocalPending(d, k);
      forgetQueuedFrom(d, k);
      d.emit({ kind: 'remove-friend', friend: r.friendPublicKey });
      d.removeFriend(k);
      d.setOnline(k, false);
      return undefined;
    }
    case 'enable-friend':
    case 'disable-friend': {
      if (bytesEqual(r.friendPublicKey, d.localPublicKey)) return 'friend-is-self';
      const k = toHex(r.friendPublicKey);
      const f = d.friend(k);
      if (f === undefined) return 'friend-does-not-exist';
      const enabled = r.kind === 'enable-friend';
      if (f.enabled === enabled) return undefined;
      if (!enabled) {
        cancelQueuedRequests(d, k, () => true);
        d.emit({ kind: 'remove-friend', friend: r.friendPublicKey });
        d.setOnline(k, false);
      }
      const next = { ...d.friend(k)!, enabled };
      d.setFriend(next);
      updateChanneler(d, next);
      return undefined;
    }
    case 'set-friend-relays': {
      const f = d.friend(toHex(r.friendPublicKey));
      if (f === undefined) return 'friend-does-not-exist';
      const next = { ...f, remoteRelays: r.relays };
      d.setFriend(next);
      updateChanneler(d, next);
      return undefined;
    }
    case 'set-friend-name': {
      const f = d.friend(toHex(r.friendPublicKey));
      if (f === undefined) return 'friend-does-not-exist';
      if (f.name !== r.name) d.setFriend({ ...f, name: r.name });
      return undefined;
    }
    case 'set-friend-currency-rate':
      return withConfig(d, toHex(r.friendPublicKey), r.currency, (c) => (rateEquals(c.rate, r.rate) ? c : { ...c, rate: r.rate }));
    case 'set-friend-currency-max-debt':
      if (!inU128(r.remoteMaxDebt)) return 'invalid-amount';
      return withConfig(d, toHex(r.friendPublicKey), r.currency, (c) => (c.remoteMaxDebt === r.remoteMaxDebt ? c : { ...c, remoteMaxDebt: r.remoteMaxDebt }));
    case 'open-friend-currency':
    case 'close-friend-currency': {
      const isOpen = r.kind === 'open-friend-currency';
      const k = toHex(r.friendPublicKey);
      if (!isOpen) cancelQueuedRequests(d, k, (q) => q.currency === r.currency && q.origin !== undefined);
      return withConfig(d, k, r.currency, (c) => (c.isOpen === isOpen ? c : { ...c, isOpen }));
    }
    case 'remove-friend-currency': {
      const k = toHex(r.friendPublicKey);
      const f = d.friend(k);
      if (f === undefined) return 'friend-does-not-exist';
      if (!f.currencyConfigs.has(r.currency)) return 'currency-not-configured';
      if (f.channel.kind === 'consistent' && f.channel.tc.mutualCredits.has(r.currency)) return 'can-not-remove-active-currency';
      const configs = new Map(f.currencyConfigs);
      configs.delete(r.currency);
      d.setFriend({ ...f, currencyConfigs: configs });
      d.trySend(k);
      return undefined;
    }
    case 'reset-friend-channel': {
      const k = toHex(r.friendPublicKey);
      const f = d.friend(k);
      if (f === undefined) return 'friend-does-not-exist';
      if (f.channel.kind !== 'inconsistent' || f.channel.remoteTerms === undefined) return 'not-invited-to-reset';
      if (!bytesEqual(f.channel.remoteTerms.resetToken, r.resetToken)) return 'reset-token-mismatch';
      if (f.channel.remoteTerms.balanceForReset.some((b) => b.balance < -I128_MAX)) return 'invalid-reset-terms';
      // The original acks and silently loses a reset asked for while offline (§7.3).
      if (!f.enabled || !d.isOnline(k)) return 'friend-offline';
      d.command(k).localReset = true;
      return undefined;
    }
    case 'set-accept-auto-collect':
      if (d.state.settings.acceptAutoCollect !== r.accept) d.state = { ...d.state, settings: { ...d.state.settings, acceptAutoCollect: r.accept } };
      return undefined;
    default:
      return paymentRequest(d, r);
  }
}

function paymentRequest(d: Draft, r: AppRequest): AppErrorCode | undefined {
  switch (r.kind) {
    case 'create-payment':
      if (!isValidCurrency(r.currency)) return 'invalid-currency';
      if (!inU128(r.totalDestPayment)) return 'invalid-amount';
      return createPayment(d, r);
    case 'create-transaction':
      return createTransaction(d, r);
    case 'request-close-payment':
      requestClose(d, toHex(r.paymentId));
      return undefined;
    case 'ack-close-payment':
      return ackClose(d, toHex(r.paymentId), r.ackUid);
    case 'add-invoice':
      if (!isValidCurrency(r.currency)) return 'invalid-currency';
      if (!inU128(r.totalDestPayment)) return 'invalid-amount';
      return addInvoice(d, r.invoiceId, r.currency, r.totalDestPayment);
    case 'cancel-invoice':
      return cancelInvoice(d, r.invoiceId);
    case 'commit-invoice':
      return commitInvoice(d, r.commit);
    default:
      return undefined;
  }
}

/** All or nothing: a refused request leaves the state, messages and results as they were (only
 *  its ack, and a failed transaction result for create-transaction, come out). */
export function handleAppRequest(d: Draft, requestId: Uint8Array, r: AppRequest): void {
  const before = d.state;
  const error = isWellFormedRequest(r) ? configRequest(d, r) : 'invalid-request';
  if (error !== undefined) {
    d.state = before;
    d.results.length = 0;
    d.messages.length = 0;
    d.commands.clear();
    if (r.kind === 'create-transaction') d.result({ kind: 'transaction-result', requestId: r.requestId, result: { kind: 'failure' } });
  }
  d.results.unshift({ kind: 'ack', requestId, error });
}
