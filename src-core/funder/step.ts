/** The funder as a pure state machine (ARCHITECTURE §4, STYLE §3):
 *  step(state, event, env) → {mutations, messages, results}. The node persists `mutations`
 *  atomically before any message leaves (write-ahead); `applyMutation` replays them. */
import { handleAppRequest } from './handle-control.ts';
import { handleFriendMessage } from './handle-friend.ts';
import { Draft } from './draft.ts';
import type { Env, FunderEvent, StepOutput } from './events.ts';
import { toHex } from './hex.ts';
import { cancelQueuedRequests } from './cancel.ts';
import { applyMutation, mutationsBetween } from './mutations.ts';
import { requestClose } from './payment-stage.ts';
import { expireImplicitInvoices } from './seller.ts';
import { sendAll } from './sender.ts';
import { type FunderState, localRelaysFor } from './state.ts';

function init(d: Draft): void {
  d.emit({ kind: 'set-relays', relays: d.state.relays.map((r) => ({ publicKey: r.publicKey, address: r.address })) });
  for (const f of d.state.friends.values()) {
    if (f.enabled) d.emit({ kind: 'update-friend', friend: f.remotePublicKey, remoteRelays: f.remoteRelays, localRelays: localRelaysFor(f) });
  }
}

/** §5.3: online only for an existing, enabled friend not already online; otherwise dropped. */
function online(d: Draft, friend: Uint8Array): void {
  const k = toHex(friend);
  const f = d.friend(k);
  if (f === undefined || !f.enabled || d.isOnline(k)) return;
  d.setOnline(k, true);
  d.command(k).resendOutgoing = true;
}

/** Queued requests to an offline friend are cancelled; requests already sent stay pending. */
function offline(d: Draft, friend: Uint8Array): void {
  const k = toHex(friend);
  if (!d.isOnline(k)) return;
  d.setOnline(k, false);
  cancelQueuedRequests(d, k, () => true);
}

/** Time passed: expire payments, and re-offer unanswered tokens and terms (a message lost when a
 *  connection dropped would otherwise wait for the next reconnection). */
function tick(d: Draft): void {
  for (const [k, p] of d.state.payments) {
    if (p.deadline === undefined || d.env.now < p.deadline) continue;
    if (p.stage.kind !== 'new-transactions' && p.stage.kind !== 'in-progress') continue;
    const txs = new Set([...d.state.openTransactions].filter(([, t]) => t.paymentId === k).map(([id]) => id));
    const stillQueued = (id: string): boolean => txs.has(id);
    for (const f of d.state.friends.keys()) cancelQueuedRequests(d, f, (q) => q.origin === undefined && stillQueued(toHex(q.op.requestId)));
    requestClose(d, k);
    const after = d.state.payments.get(k);
    if (after !== undefined) d.setPayment(k, { ...after, deadline: undefined });
  }
  expireImplicitInvoices(d);
  for (const k of d.state.online) {
    const f = d.friend(k);
    if (f === undefined) continue;
    if (f.channel.kind === 'inconsistent' || f.channel.tc.direction.kind === 'outgoing') d.command(k).resendOutgoing = true;
  }
}

export function step(state: FunderState, event: FunderEvent, env: Env): StepOutput {
  const d = new Draft(state, env);
  switch (event.kind) {
    case 'init': init(d); break;
    case 'app-request': handleAppRequest(d, event.requestId, event.request); break;
    case 'friend-online': online(d, event.friend); break;
    case 'friend-offline': offline(d, event.friend); break;
    case 'friend-message': handleFriendMessage(d, toHex(event.from), event.message); break;
    case 'tick': tick(d); break;
  }
  sendAll(d);
  return { mutations: mutationsBetween(state, d.state), messages: d.messages, results: d.results };
}

/** step, then apply its mutations: the new state alongside the outputs. */
export function stepAndApply(state: FunderState, event: FunderEvent, env: Env): StepOutput & { readonly state: FunderState } {
  const out = step(state, event, env);
  return { ...out, state: nextState(state, out) };
}

function nextState(state: FunderState, out: StepOutput): FunderState {
  return out.mutations.reduce(applyMutation, state);
}
