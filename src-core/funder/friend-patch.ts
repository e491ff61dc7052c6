/** Fine friend mutations: what changed in one friend during a step, so that the journal carries a
 *  payment's few changed entries (a pending transaction, a queue's new tail, the new token)
 *  rather than the friend's whole state with every other payment in flight (docs/funder.md
 *  "Mutations"). `friendPatch(before, after)` compares by identity (the step never mutates: an
 *  unchanged part is the same object), `applyFriendPatch(before, patch)` rebuilds `after`. */
import type { MutualCredit, PendingTransaction } from './mutual-credit.ts';
import type { Hex } from './hex.ts';
import type { ChannelStatus, CurrencyConfig, FriendState, QueuedBackwardsOp, QueuedRequest, SentLocalRelays } from './state.ts';
import type { RelayAddress } from '../proto/index.ts';
import type { TcDirection, TokenChannel } from './token-channel.ts';

type Consistent = Extract<ChannelStatus, { kind: 'consistent' }>;

/** The friend's settings, all together when any of them changed (they are small). */
export interface FriendInfo {
  readonly name: string;
  readonly remoteRelays: readonly RelayAddress[];
  readonly sentLocalRelays: SentLocalRelays;
  readonly currencyConfigs: ReadonlyMap<string, CurrencyConfig>;
  readonly enabled: boolean;
}

/** A queue after = before without its first `drop` items, then `append`. */
export interface QueuePatch<T> {
  readonly drop: number;
  readonly append: readonly T[];
}

/** Pending transactions set (added or changed) and removed, by request id. */
export interface PendingPatch {
  readonly set: readonly { readonly k: Hex; readonly v: PendingTransaction }[];
  readonly remove: readonly Hex[];
}

export type CreditPatch =
  | { readonly kind: 'set'; readonly currency: string; readonly credit: MutualCredit }
  | { readonly kind: 'remove'; readonly currency: string }
  | {
    readonly kind: 'update'; readonly currency: string; readonly balance: bigint; readonly localPendingDebt: bigint;
    readonly remotePendingDebt: bigint; readonly local: PendingPatch; readonly remote: PendingPatch;
  };

export type ChannelPatch =
  /** The whole new channel status (it changed kind, or is inconsistent). */
  | { readonly kind: 'set'; readonly channel: ChannelStatus }
  /** Consistent before and after: the parts that changed (undefined: unchanged). */
  | {
    readonly kind: 'consistent';
    readonly direction: TcDirection | undefined;
    readonly activeLocal: readonly string[] | undefined;
    readonly activeRemote: readonly string[] | undefined;
    /** `{ value }` when the agreed initial balances changed (value undefined: none left). */
    readonly initialBalances: { readonly value: ReadonlyMap<string, bigint> | undefined } | undefined;
    readonly credits: readonly CreditPatch[];
    readonly settledResetTokens: readonly Uint8Array[] | undefined;
    readonly backwards: QueuePatch<QueuedBackwardsOp>;
    readonly requests: QueuePatch<QueuedRequest>;
    readonly userRequests: QueuePatch<QueuedRequest>;
  };

export interface FriendPatch {
  readonly info: FriendInfo | undefined;
  readonly channel: ChannelPatch | undefined;
}

/** A patch that does not fit the state it is applied to: the journal does not belong to this
 *  state (a bug or a damaged store), never a peer's doing. */
export class PatchMismatch extends Error {
  override readonly name = 'PatchMismatch';
}

/** The fields `friendPatch` knows; a test checks the state types have no others. */
export const FRIEND_FIELDS = ['remotePublicKey', 'name', 'remoteRelays', 'sentLocalRelays', 'currencyConfigs', 'enabled', 'channel'] as const;
export const CONSISTENT_FIELDS = ['kind', 'tc', 'settledResetTokens', 'pendingBackwardsOps', 'pendingRequests', 'pendingUserRequests'] as const;
export const TOKEN_CHANNEL_FIELDS = ['direction', 'mutualCredits', 'activeLocal', 'activeRemote', 'initialBalances'] as const;
export const MUTUAL_CREDIT_FIELDS = ['balance', 'localPendingDebt', 'remotePendingDebt', 'local', 'remote'] as const;

const changed = <T>(a: T, b: T): T | undefined => (a === b ? undefined : b);

function queuePatch<T>(before: readonly T[], after: readonly T[]): QueuePatch<T> {
  if (before === after) return { drop: 0, append: [] };
  const first = after[0];
  let drop = first === undefined ? before.length : before.indexOf(first);
  if (drop < 0) drop = before.length;
  for (let i = drop; i < before.length; i++) {
    if (after[i - drop] !== before[i]) return { drop: before.length, append: after };
  }
  return { drop, append: after.slice(before.length - drop) };
}

function applyQueue<T>(q: readonly T[], p: QueuePatch<T>): readonly T[] {
  if (p.drop === 0 && p.append.length === 0) return q;
  if (p.drop > q.length) throw new PatchMismatch(`a queue patch drops ${p.drop} of ${q.length} items`);
  return [...q.slice(p.drop), ...p.append];
}

function pendingPatch(before: ReadonlyMap<Hex, PendingTransaction>, after: ReadonlyMap<Hex, PendingTransaction>): PendingPatch {
  if (before === after) return { set: [], remove: [] };
  const set: { k: Hex; v: PendingTransaction }[] = [];
  const remove: Hex[] = [];
  for (const [k, v] of after) if (before.get(k) !== v) set.push({ k, v });
  for (const k of before.keys()) if (!after.has(k)) remove.push(k);
  return { set, remove };
}

function applyPending(m: ReadonlyMap<Hex, PendingTransaction>, p: PendingPatch): ReadonlyMap<Hex, PendingTransaction> {
  if (p.set.length === 0 && p.remove.length === 0) return m;
  const out = new Map(m);
  for (const { k, v } of p.set) out.set(k, v);
  for (const k of p.remove) if (!out.delete(k)) throw new PatchMismatch(`a patch removes a pending transaction ${k} that is not there`);
  return out;
}

function creditPatches(before: ReadonlyMap<string, MutualCredit>, after: ReadonlyMap<string, MutualCredit>): CreditPatch[] {
  if (before === after) return [];
  const out: CreditPatch[] = [];
  for (const [currency, mc] of after) {
    const old = before.get(currency);
    if (old === mc) continue;
    if (old === undefined) out.push({ kind: 'set', currency, credit: mc });
    else {
      out.push({
        kind: 'update', currency, balance: mc.balance, localPendingDebt: mc.localPendingDebt, remotePendingDebt: mc.remotePendingDebt,
        local: pendingPatch(old.local, mc.local), remote: pendingPatch(old.remote, mc.remote),
      });
    }
  }
  for (const currency of before.keys()) if (!after.has(currency)) out.push({ kind: 'remove', currency });
  return out;
}

function applyCredits(m: ReadonlyMap<string, MutualCredit>, patches: readonly CreditPatch[]): ReadonlyMap<string, MutualCredit> {
  if (patches.length === 0) return m;
  const out = new Map(m);
  for (const p of patches) {
    if (p.kind === 'set') out.set(p.currency, p.credit);
    else if (p.kind === 'remove') {
      if (!out.delete(p.currency)) throw new PatchMismatch(`a patch removes currency ${p.currency} that is not there`);
    } else {
      const mc = out.get(p.currency);
      if (mc === undefined) throw new PatchMismatch(`a patch updates currency ${p.currency} that is not there`);
      out.set(p.currency, {
        balance: p.balance, localPendingDebt: p.localPendingDebt, remotePendingDebt: p.remotePendingDebt,
        local: applyPending(mc.local, p.local), remote: applyPending(mc.remote, p.remote),
      });
    }
  }
  return out;
}

function consistentPatch(b: Consistent, a: Consistent): ChannelPatch {
  const [x, y] = [b.tc, a.tc];
  return {
    kind: 'consistent',
    direction: changed(x.direction, y.direction),
    activeLocal: changed(x.activeLocal, y.activeLocal),
    activeRemote: changed(x.activeRemote, y.activeRemote),
    initialBalances: x.initialBalances === y.initialBalances ? undefined : { value: y.initialBalances },
    credits: creditPatches(x.mutualCredits, y.mutualCredits),
    settledResetTokens: changed(b.settledResetTokens, a.settledResetTokens),
    backwards: queuePatch(b.pendingBackwardsOps, a.pendingBackwardsOps),
    requests: queuePatch(b.pendingRequests, a.pendingRequests),
    userRequests: queuePatch(b.pendingUserRequests, a.pendingUserRequests),
  };
}

function applyConsistent(c: Consistent, p: Extract<ChannelPatch, { kind: 'consistent' }>): Consistent {
  const tc = c.tc;
  const initial = p.initialBalances === undefined ? tc.initialBalances : p.initialBalances.value;
  const next: TokenChannel = {
    direction: p.direction ?? tc.direction,
    mutualCredits: applyCredits(tc.mutualCredits, p.credits),
    activeLocal: p.activeLocal ?? tc.activeLocal,
    activeRemote: p.activeRemote ?? tc.activeRemote,
    ...(initial !== undefined ? { initialBalances: initial } : {}),
  };
  return {
    kind: 'consistent', tc: next,
    settledResetTokens: p.settledResetTokens ?? c.settledResetTokens,
    pendingBackwardsOps: applyQueue(c.pendingBackwardsOps, p.backwards),
    pendingRequests: applyQueue(c.pendingRequests, p.requests),
    pendingUserRequests: applyQueue(c.pendingUserRequests, p.userRequests),
  };
}

/** What turns `before` into `after` (the same friend, one step later). */
export function friendPatch(before: FriendState, after: FriendState): FriendPatch {
  const infoChanged = before.name !== after.name || before.remoteRelays !== after.remoteRelays || before.sentLocalRelays !== after.sentLocalRelays
    || before.currencyConfigs !== after.currencyConfigs || before.enabled !== after.enabled;
  const info: FriendInfo | undefined = infoChanged
    ? { name: after.name, remoteRelays: after.remoteRelays, sentLocalRelays: after.sentLocalRelays, currencyConfigs: after.currencyConfigs, enabled: after.enabled }
    : undefined;
  const [b, a] = [before.channel, after.channel];
  const channel: ChannelPatch | undefined = b === a ? undefined
    : b.kind === 'consistent' && a.kind === 'consistent' ? consistentPatch(b, a) : { kind: 'set', channel: a };
  return { info, channel };
}

/** `before` with `patch` applied; throws PatchMismatch if the patch names parts `before` lacks. */
export function applyFriendPatch(before: FriendState, patch: FriendPatch): FriendState {
  let f = before;
  if (patch.info !== undefined) f = { ...f, ...patch.info };
  const p = patch.channel;
  if (p === undefined) return f;
  if (p.kind === 'set') return { ...f, channel: p.channel };
  if (f.channel.kind !== 'consistent') throw new PatchMismatch('a patch of a consistent channel meets an inconsistent one');
  return { ...f, channel: applyConsistent(f.channel, p) };
}
