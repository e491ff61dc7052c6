/** The working copy of one step: the (immutable) state as it evolves, the outputs so far, and the
 *  per-friend send commands the sender consumes at the end (reference/funder.md §5.5). */
import type { FriendMessage } from '../proto/index.ts';
import type { AppResult, Env, Outgoing } from './events.ts';
import { type Hex, fromHex, toHex } from './hex.ts';
import type { ChannelStatus, FriendState, FunderState, OpenInvoice, OpenTransaction, Payment, QueuedBackwardsOp, QueuedRequest } from './state.ts';
import type { MutualCredit } from './mutual-credit.ts';

export interface SendCommands {
  trySend: boolean;
  resendOutgoing: boolean;
  remoteWantsToken: boolean;
  localReset: boolean;
}

export type Consistent = Extract<ChannelStatus, { kind: 'consistent' }>;

function withEntry<V>(m: ReadonlyMap<Hex, V>, k: Hex, v: V | undefined): ReadonlyMap<Hex, V> {
  const out = new Map(m);
  if (v === undefined) out.delete(k); else out.set(k, v);
  return out;
}

export class Draft {
  readonly results: AppResult[] = [];
  readonly messages: Outgoing[] = [];
  readonly commands = new Map<Hex, SendCommands>();

  constructor(public state: FunderState, readonly env: Env) {}

  get localPublicKey(): Uint8Array { return this.state.localPublicKey; }

  command(friend: Hex): SendCommands {
    let c = this.commands.get(friend);
    if (c === undefined) {
      c = { trySend: false, resendOutgoing: false, remoteWantsToken: false, localReset: false };
      this.commands.set(friend, c);
    }
    return c;
  }
  trySend(friend: Hex): void { this.command(friend).trySend = true; }

  friend(k: Hex): FriendState | undefined { return this.state.friends.get(k); }
  setFriend(f: FriendState): void { this.state = { ...this.state, friends: withEntry(this.state.friends, toHex(f.remotePublicKey), f) }; }
  removeFriend(k: Hex): void { this.state = { ...this.state, friends: withEntry(this.state.friends, k, undefined) }; }

  consistent(k: Hex): Consistent | undefined {
    const f = this.friend(k);
    return f?.channel.kind === 'consistent' ? f.channel : undefined;
  }
  setChannel(k: Hex, channel: ChannelStatus): void {
    const f = this.friend(k);
    if (f !== undefined) this.setFriend({ ...f, channel });
  }
  updateConsistent(k: Hex, fn: (c: Consistent) => Consistent): void {
    const c = this.consistent(k);
    if (c !== undefined) this.setChannel(k, fn(c));
  }
  mutualCredit(k: Hex, currency: string): MutualCredit | undefined {
    return this.consistent(k)?.tc.mutualCredits.get(currency);
  }
  isOnline(k: Hex): boolean { return this.state.online.has(k); }

  pushBackwards(k: Hex, op: QueuedBackwardsOp): void {
    this.updateConsistent(k, (c) => ({ ...c, pendingBackwardsOps: [...c.pendingBackwardsOps, op] }));
    this.trySend(k);
  }
  pushRequest(k: Hex, r: QueuedRequest): void {
    this.updateConsistent(k, (c) => r.origin === undefined
      ? { ...c, pendingUserRequests: [...c.pendingUserRequests, r] }
      : { ...c, pendingRequests: [...c.pendingRequests, r] });
    this.trySend(k);
  }

  setInvoice(k: Hex, v: OpenInvoice | undefined): void { this.state = { ...this.state, openInvoices: withEntry(this.state.openInvoices, k, v) }; }
  setTransaction(k: Hex, v: OpenTransaction | undefined): void { this.state = { ...this.state, openTransactions: withEntry(this.state.openTransactions, k, v) }; }
  setPayment(k: Hex, v: Payment | undefined): void { this.state = { ...this.state, payments: withEntry(this.state.payments, k, v) }; }
  setOnline(k: Hex, online: boolean): void {
    if (this.state.online.has(k) === online) return;
    const s = new Set(this.state.online);
    if (online) s.add(k); else s.delete(k);
    this.state = { ...this.state, online: s };
  }

  result(r: AppResult): void { this.results.push(r); }
  send(to: Hex, message: FriendMessage): void { this.messages.push({ kind: 'friend-message', to: fromHex(to), message }); }
  emit(o: Outgoing): void { this.messages.push(o); }
}
