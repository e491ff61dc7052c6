/** A message from a friend (reference/funder.md §5.4): move tokens and inconsistency errors.
 *  Every failure is a drop or an inconsistency, never a throw. */
import type { FriendMessage, MoveToken, ResetTerms } from '../proto/index.ts';
import { bytesEqual } from '../crypto/index.ts';
import { buyerCollect, buyerResponse } from './buyer.ts';
import { buyerTransactionFailed, cancelBack, cancelLocalPending, forgetQueuedFrom } from './cancel.ts';
import type { Draft } from './draft.ts';
import { type Hex, toHex } from './hex.ts';
import { forwardBackwards, mediateRequest } from './mediator.ts';
import { acceptRemoteReset, generateResetTerms } from './reset.ts';
import { sellerRequest } from './seller.ts';
import { type CurrencyConfig, type FriendState, defaultCurrencyConfig, localRelaysFor } from './state.ts';
import { type IncomingCurrencyMessage, channelCounters, lastIncoming, receiveMoveToken } from './token-channel.ts';

interface Counters { readonly inconsistencyCounter: bigint; readonly moveTokenCounter: bigint }

function olderThan(a: Counters, b: Counters): boolean {
  return a.inconsistencyCounter < b.inconsistencyCounter
    || (a.inconsistencyCounter === b.inconsistencyCounter && a.moveTokenCounter < b.moveTokenCounter);
}

function sameRelays(a: FriendState['remoteRelays'], b: FriendState['remoteRelays']): boolean {
  return a.length === b.length && a.every((r, i) => toHex(r.publicKey) === toHex(b[i]!.publicKey) && r.address === b[i]!.address);
}

export function handleFriendMessage(d: Draft, from: Hex, message: FriendMessage): void {
  const f = d.friend(from);
  if (f === undefined || !f.enabled) return;
  if (message.kind === 'inconsistency-error') return handleInconsistencyError(d, from, message.resetTerms);
  if (f.channel.kind === 'inconsistent') return tryRemoteReset(d, from, message.moveToken, message.tokenWanted);
  handleMoveToken(d, from, message.moveToken, message.tokenWanted, message);
}

function handleMoveToken(d: Draft, from: Hex, t: MoveToken, tokenWanted: boolean, claimed: Counters): void {
  const f = d.friend(from)!;
  if (f.channel.kind !== 'consistent') return;
  const r = receiveMoveToken(f.channel.tc, t, {
    crypto: d.env.crypto, localPublicKey: d.localPublicKey, remotePublicKey: f.remotePublicKey,
    remoteMaxDebt: (c) => f.currencyConfigs.get(c)?.remoteMaxDebt ?? 0n,
  });
  switch (r.kind) {
    case 'duplicate':
      if (tokenWanted) d.command(from).remoteWantsToken = true;
      return;
    case 'retransmit-outgoing':
      d.command(from).resendOutgoing = true;
      return;
    case 'error':
      // A late copy of an older token (delayed, duplicated) is not a broken chain. Its counters are
      // only a hint: we answer with our own token, which an out-of-sync friend will reject in turn.
      if (olderThan(claimed, channelCounters(f.channel.tc))) {
        d.command(from).resendOutgoing = true;
        return;
      }
      enterInconsistency(d, from, undefined);
      return;
    case 'received':
      break;
  }
  let next: FriendState = { ...f, channel: { ...f.channel, tc: r.tc } };
  let channelerUpdate = false;
  if (t.optLocalRelays !== undefined && !sameRelays(t.optLocalRelays, f.remoteRelays)) {
    next = { ...next, remoteRelays: t.optLocalRelays }; // the original forgets to tell the channeler (§7.5 #6)
    channelerUpdate = true;
  }
  if (next.sentLocalRelays.kind === 'transition') {
    next = { ...next, sentLocalRelays: { kind: 'last-sent', relays: next.sentLocalRelays.last } };
    channelerUpdate = true;
  }
  d.setFriend(next);
  if (channelerUpdate) d.emit({ kind: 'update-friend', friend: next.remotePublicKey, remoteRelays: next.remoteRelays, localRelays: localRelaysFor(next) });
  d.trySend(from);
  for (const m of r.messages) handleIncoming(d, from, m);
  if (tokenWanted) d.command(from).remoteWantsToken = true;
}

function handleIncoming(d: Draft, from: Hex, { currency, message: m }: IncomingCurrencyMessage): void {
  switch (m.kind) {
    case 'request':
      if (m.op.route.length === 0) sellerRequest(d, from, currency, m.op);
      else mediateRequest(d, from, currency, m.op);
      return;
    case 'request-cancel':
      cancelBack(d, from, currency, m.op.requestId);
      return;
    case 'response':
      if (m.pending.origin === undefined) buyerResponse(d, m.op);
      else forwardBackwards(d, m.pending.origin, currency, m.op);
      return;
    case 'cancel':
      if (m.pending.origin === undefined) buyerTransactionFailed(d, toHex(m.op.requestId));
      else forwardBackwards(d, m.pending.origin, currency, m.op);
      return;
    case 'collect':
      if (m.pending.origin === undefined) buyerCollect(d, m.op, m.pending);
      else forwardBackwards(d, m.pending.origin, currency, m.op);
      return;
  }
}

/** The channel broke: cancel everything we sent over it and propose our terms (§4.9). */
export function enterInconsistency(d: Draft, from: Hex, remoteTerms: ResetTerms | undefined): void {
  const c = d.consistent(from);
  if (c === undefined) return;
  cancelLocalPending(d, from);
  forgetQueuedFrom(d, from);
  const localTerms = generateResetTerms(c.tc, 0n, d.env.random(64));
  const carried = c.tc.initialBalances;
  d.setChannel(from, {
    kind: 'inconsistent', lastIncoming: lastIncoming(c.tc), localTerms, remoteTerms,
    ...(carried !== undefined ? { initialBalances: carried } : {}),
  });
  d.trySend(from);
}

function handleInconsistencyError(d: Draft, from: Hex, terms: ResetTerms): void {
  const f = d.friend(from)!;
  if (f.channel.kind === 'consistent') {
    // A late copy of the terms of the episode our chain came out of (the counter alone cannot
    // tell: a friend that re-added us restarts its counters from zero).
    if (f.channel.settledResetTokens.some((t) => bytesEqual(t, terms.resetToken))) return;
    if (f.channel.tc.direction.kind === 'incoming') {
      // We hold the token (original drops this, §7.5 #7): send it, the friend answers with its terms again.
      d.command(from).resendOutgoing = true;
      return;
    }
    enterInconsistency(d, from, terms);
    return;
  }
  const known = f.channel.remoteTerms;
  if (known !== undefined && terms.inconsistencyCounter < known.inconsistencyCounter) return;
  d.setChannel(from, { ...f.channel, remoteTerms: terms });
  if (known === undefined) d.trySend(from); // the friend may never have seen ours
}

function tryRemoteReset(d: Draft, from: Hex, t: MoveToken, tokenWanted: boolean): void {
  const f = d.friend(from)!;
  if (f.channel.kind !== 'inconsistent') return;
  const tc = acceptRemoteReset(d.env.crypto, d.localPublicKey, f.remotePublicKey, f.channel.localTerms, t);
  if (tc === undefined) {
    d.command(from).resendOutgoing = true; // our terms again
    return;
  }
  const configs = new Map<string, CurrencyConfig>(f.currencyConfigs);
  for (const c of tc.mutualCredits.keys()) if (!configs.has(c)) configs.set(c, defaultCurrencyConfig);
  const next: FriendState = {
    ...f, currencyConfigs: configs,
    remoteRelays: t.optLocalRelays ?? f.remoteRelays,
    sentLocalRelays: { kind: 'never-sent' }, // our next token announces our relays again
    channel: {
      kind: 'consistent', tc, pendingBackwardsOps: [], pendingRequests: [], pendingUserRequests: [],
      settledResetTokens: [f.channel.localTerms.resetToken, ...(f.channel.remoteTerms === undefined ? [] : [f.channel.remoteTerms.resetToken])],
    },
  };
  d.setFriend(next);
  d.emit({ kind: 'update-friend', friend: next.remotePublicKey, remoteRelays: next.remoteRelays, localRelays: localRelaysFor(f) });
  d.trySend(from);
  if (tokenWanted) d.command(from).remoteWantsToken = true;
}
