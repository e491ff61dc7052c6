/** The sender (reference/funder.md §5.5): after an event, turns each online friend's send commands
 *  and queues into at most one message — a reset token, an inconsistency error, a retransmitted
 *  token, or a new move token with up to 16 operations (backwards ops, then forwarded requests,
 *  then our own). Ops are checked one by one against the mutual credit; a request that fails is
 *  cancelled back, a backwards op that fails is dropped — never the original's unreachable!(). */
import type { FriendTcOp, RelayAddress } from '../proto/index.ts';
import { MAX_OPERATIONS_IN_BATCH } from '../proto/index.ts';
import { cancelBack } from './cancel.ts';
import type { Consistent, Draft } from './draft.ts';
import { type Hex, compareCurrencies, toHex } from './hex.ts';
import { type McContext, type MutualCredit, sendCancel, sendCollect, sendRequest, sendResponse } from './mutual-credit.ts';
import { applyLocalReset } from './reset.ts';
import { type CurrencyConfig, type FriendState, type QueuedBackwardsOp, type QueuedRequest, type SentLocalRelays, defaultCurrencyConfig, localRelaysFor } from './state.ts';
import { type TokenChannel, canAnnounce, channelCounters, prepareSend, sendMoveToken } from './token-channel.ts';

function countersOf(tc: TokenChannel): { inconsistencyCounter: bigint; moveTokenCounter: bigint } {
  return channelCounters(tc);
}

const relayKey = (rs: readonly RelayAddress[]): string => rs.map((r) => `${toHex(r.publicKey)}@${r.address}`).join(',');

function ourRelays(d: Draft): RelayAddress[] {
  return d.state.relays.map((r) => ({ publicKey: r.publicKey, address: r.address }));
}

/** Our relay list when the friend has not seen it yet, else undefined. */
function relaysToSend(d: Draft, f: FriendState): RelayAddress[] | undefined {
  const s = f.sentLocalRelays;
  const mine = ourRelays(d);
  if (s.kind === 'never-sent') return mine;
  const last = s.kind === 'last-sent' ? s.relays : s.last;
  return relayKey(last) === relayKey(mine) ? undefined : mine;
}

function afterSending(s: SentLocalRelays, relays: readonly RelayAddress[]): SentLocalRelays {
  if (s.kind === 'never-sent') return { kind: 'last-sent', relays };
  return { kind: 'transition', last: relays, beforeLast: s.kind === 'last-sent' ? s.relays : s.last };
}

function wantedCurrencies(f: FriendState): string[] {
  return [...f.currencyConfigs.keys()].sort(compareCurrencies);
}

function activeToSend(f: FriendState, c: Consistent): string[] | undefined {
  const wanted = wantedCurrencies(f);
  const current = [...c.tc.activeLocal].sort(compareCurrencies);
  if (wanted.length === current.length && wanted.every((x, i) => x === current[i])) return undefined;
  return canAnnounce(c.tc, wanted) ? wanted : undefined;
}

export function sendAll(d: Draft): void {
  // Cancelling a request back can give another friend something to send: loop until settled.
  const done = new Set<Hex>();
  for (let guard = 0; guard < 10_000; guard++) {
    const next = [...d.commands.keys()].find((k) => !done.has(k));
    if (next === undefined) return;
    done.add(next);
    const cmd = d.commands.get(next)!;
    d.commands.delete(next);
    const f = d.friend(next);
    if (f === undefined || !f.enabled || !d.isOnline(next)) continue;
    sendToFriend(d, next, f, cmd);
    if (d.commands.has(next)) done.delete(next);
  }
}

function sendToFriend(d: Draft, k: Hex, f: FriendState, cmd: { trySend: boolean; resendOutgoing: boolean; remoteWantsToken: boolean; localReset: boolean }): void {
  const ch = f.channel;
  if (ch.kind === 'inconsistent') {
    if (cmd.localReset && ch.remoteTerms !== undefined) return localReset(d, k, f, ch.remoteTerms);
    if (cmd.trySend || cmd.resendOutgoing) d.send(k, { kind: 'inconsistency-error', resetTerms: ch.localTerms });
    return;
  }
  const dir = ch.tc.direction;
  if (dir.kind === 'outgoing') {
    const estimate = relaysToSend(d, f) !== undefined || activeToSend(f, ch) !== undefined
      || ch.pendingBackwardsOps.length + ch.pendingRequests.length + ch.pendingUserRequests.length > 0;
    if (estimate || cmd.resendOutgoing) {
      d.send(k, {
        kind: 'move-token-request', moveToken: dir.moveTokenOut, tokenWanted: estimate || dir.moveTokenOut.optLocalRelays !== undefined,
        inconsistencyCounter: dir.tokenInfo.inconsistencyCounter, moveTokenCounter: dir.tokenInfo.moveTokenCounter,
      });
    }
    return;
  }
  sendNewToken(d, k, f, ch, cmd.resendOutgoing || cmd.remoteWantsToken);
}

function localReset(d: Draft, k: Hex, f: FriendState, remoteTerms: NonNullable<Extract<FriendState['channel'], { kind: 'inconsistent' }>['remoteTerms']>): void {
  const relays = ourRelays(d);
  const r = applyLocalReset(d.env.crypto, d.env.signer, f.remotePublicKey, remoteTerms, relays, d.env.random(16));
  if (r === undefined) return;
  const configs = new Map<string, CurrencyConfig>(f.currencyConfigs);
  for (const c of r.tc.mutualCredits.keys()) if (!configs.has(c)) configs.set(c, defaultCurrencyConfig);
  const next: FriendState = {
    ...f, currencyConfigs: configs, sentLocalRelays: afterSending(f.sentLocalRelays, relays),
    channel: {
      kind: 'consistent', tc: r.tc, pendingBackwardsOps: [], pendingRequests: [], pendingUserRequests: [],
      settledResetTokens: [remoteTerms.resetToken, ...(f.channel.kind === 'inconsistent' ? [f.channel.localTerms.resetToken] : [])],
    },
  };
  d.setFriend(next);
  d.emit({ kind: 'update-friend', friend: f.remotePublicKey, remoteRelays: f.remoteRelays, localRelays: localRelaysFor(next) });
  d.send(k, { kind: 'move-token-request', moveToken: r.moveToken, tokenWanted: true, ...countersOf(r.tc) });
}

interface Batch {
  readonly mcs: Map<string, MutualCredit>;
  readonly ops: Map<string, FriendTcOp[]>;
  count: number;
}

function add(b: Batch, currency: string, op: FriendTcOp, mc: MutualCredit): void {
  b.mcs.set(currency, mc);
  const list = b.ops.get(currency);
  if (list === undefined) b.ops.set(currency, [op]); else list.push(op);
  b.count += 1;
}

function drainBackwards(d: Draft, f: FriendState, queue: readonly QueuedBackwardsOp[], b: Batch): QueuedBackwardsOp[] {
  const rest: QueuedBackwardsOp[] = [];
  for (const q of queue) {
    if (b.count >= MAX_OPERATIONS_IN_BATCH) { rest.push(q); continue; }
    const mc = b.mcs.get(q.currency);
    if (mc === undefined) continue;
    const ctx: McContext = { crypto: d.env.crypto, currency: q.currency, localPublicKey: d.localPublicKey, remotePublicKey: f.remotePublicKey };
    const r = q.op.kind === 'response' ? sendResponse(mc, q.op, ctx) : q.op.kind === 'cancel' ? sendCancel(mc, q.op) : sendCollect(mc, q.op, ctx);
    if (r.ok) add(b, q.currency, q.op, r.value);
  }
  return rest;
}

function drainRequests(d: Draft, queue: readonly QueuedRequest[], b: Batch): QueuedRequest[] {
  const rest: QueuedRequest[] = [];
  for (const q of queue) {
    if (b.count >= MAX_OPERATIONS_IN_BATCH) { rest.push(q); continue; }
    const mc = b.mcs.get(q.currency);
    const r = mc === undefined ? undefined : sendRequest(mc, q.op, q.origin);
    if (r?.ok === true) add(b, q.currency, q.op, r.value);
    else cancelBack(d, q.origin, q.currency, q.op.requestId);
  }
  return rest;
}

function sendNewToken(d: Draft, k: Hex, f: FriendState, ch: Consistent, mayBeEmpty: boolean): void {
  const optLocalRelays = relaysToSend(d, f);
  const optActiveCurrencies = activeToSend(f, ch);
  const tc = prepareSend(ch.tc, optActiveCurrencies);
  const b: Batch = { mcs: new Map(tc.mutualCredits), ops: new Map(), count: 0 };
  const backwards = drainBackwards(d, f, ch.pendingBackwardsOps, b);
  const requests = drainRequests(d, ch.pendingRequests, b);
  const userRequests = drainRequests(d, ch.pendingUserRequests, b);
  const nothing = b.count === 0 && optLocalRelays === undefined && optActiveCurrencies === undefined;
  // Drained ops may have cancelled requests back to this very friend's queue: re-read it.
  const current = d.consistent(k) ?? ch;
  const extraBackwards = current.pendingBackwardsOps.slice(ch.pendingBackwardsOps.length);
  if (nothing && !mayBeEmpty) {
    d.setChannel(k, { ...current, pendingBackwardsOps: [...backwards, ...extraBackwards], pendingRequests: requests, pendingUserRequests: userRequests });
    return;
  }
  const currenciesOperations = [...b.ops.entries()].map(([currency, operations]) => ({ currency, operations }));
  const sent = sendMoveToken(d.env.crypto, d.env.signer, tc, f.remotePublicKey, {
    mutualCredits: b.mcs, currenciesOperations, optLocalRelays, optActiveCurrencies,
  }, d.env.random(16));
  if (sent === undefined) return;
  const remaining = backwards.length + extraBackwards.length + requests.length + userRequests.length;
  const latest = d.friend(k) ?? f;
  const next: FriendState = {
    ...latest,
    sentLocalRelays: optLocalRelays === undefined ? latest.sentLocalRelays : afterSending(latest.sentLocalRelays, optLocalRelays),
    channel: { ...ch, tc: sent.tc, pendingBackwardsOps: [...backwards, ...extraBackwards], pendingRequests: requests, pendingUserRequests: userRequests },
  };
  d.setFriend(next);
  if (optLocalRelays !== undefined) d.emit({ kind: 'update-friend', friend: f.remotePublicKey, remoteRelays: f.remoteRelays, localRelays: localRelaysFor(next) });
  d.send(k, { kind: 'move-token-request', moveToken: sent.moveToken, tokenWanted: remaining > 0 || optLocalRelays !== undefined, ...countersOf(sent.tc) });
}
