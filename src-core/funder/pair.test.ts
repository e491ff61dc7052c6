import { describe, expect, it } from 'vitest';
import { comparePublicKeys, nobleBackend } from '../crypto/index.ts';
import { type Commit, verifyReceipt } from '../proto/index.ts';
import type { AppResult } from './events.ts';
import { type TestNode, TestNet, balanceOf, bytes, makeNode } from './testkit.ts';
import { friendCapacities } from './capacity.ts';

const crypto = nobleBackend;

function setup(): { net: TestNet; n1: TestNode; n2: TestNode } {
  const net = new TestNet(crypto);
  let a = makeNode(crypto, 1);
  let b = makeNode(crypto, 2);
  if (comparePublicKeys(crypto, a.signer.publicKey, b.signer.publicKey) > 0) [a, b] = [b, a];
  net.add(a);
  net.add(b);
  return { net, n1: a, n2: b }; // n1 has the lower hash: it waits for the first token
}

const commitOf = (results: readonly AppResult[]): Commit | undefined => {
  for (const r of results) if (r.kind === 'transaction-result' && r.result.kind === 'complete') return r.result.commit;
  return undefined;
};

describe('two funders (reference/funder.md §8.4 test_handler_pair_basic)', () => {
  it('exchange relays on the first tokens, then pay with a fee, then close the payment', () => {
    const { net, n1, n2 } = setup();
    net.request(n1, { kind: 'add-relay', relay: { publicKey: bytes(32, 0x10), address: 'relay0:1', name: 'r0' } });
    net.request(n2, { kind: 'add-relay', relay: { publicKey: bytes(32, 0x20), address: 'relay2:1', name: 'r2' } });
    for (const [x, y] of [[n1, n2], [n2, n1]] as const) {
      net.request(x, { kind: 'add-friend', friendPublicKey: y.signer.publicKey, relays: [], name: 'f' });
      net.request(x, { kind: 'enable-friend', friendPublicKey: y.signer.publicKey });
    }
    // Node1 (lower hash) comes online first: it retransmits the genesis, asking for the token.
    net.run(n1, { kind: 'friend-online', friend: n2.signer.publicKey });
    expect(net.queue).toHaveLength(1);
    const genesis = net.queue[0]!;
    expect(genesis.message.kind === 'move-token-request' && genesis.message.tokenWanted).toBe(true);
    net.run(n2, { kind: 'friend-online', friend: n1.signer.publicKey });
    // Node2 holds the first token and sends its relays.
    const first = net.queue[1]!;
    expect(first.message.kind === 'move-token-request' && first.message.moveToken.optLocalRelays?.[0]?.address).toBe('relay2:1');
    net.deliverAll();
    expect(n1.state.friends.get(n2.key)!.remoteRelays.map((r) => r.address)).toEqual(['relay2:1']);
    expect(n2.state.friends.get(n1.key)!.remoteRelays.map((r) => r.address)).toEqual(['relay0:1']);
    expect(n1.state.friends.get(n2.key)!.sentLocalRelays.kind).toBe('last-sent');

    for (const [x, y] of [[n1, n2], [n2, n1]] as const) {
      net.request(x, { kind: 'set-friend-currency-rate', friendPublicKey: y.signer.publicKey, currency: 'FST', rate: { mul: 0, add: 0 } });
    }
    net.deliverAll();
    expect(balanceOf(n1, n2, 'FST')).toBe(0n);
    expect(balanceOf(n2, n1, 'FST')).toBe(0n);
    net.request(n1, { kind: 'set-friend-currency-max-debt', friendPublicKey: n2.signer.publicKey, currency: 'FST', remoteMaxDebt: 100n });
    net.deliverAll();

    // A route through node1 to an unknown node: node1 (currency not open) cancels.
    const pk3 = makeNode(crypto, 3).signer.publicKey;
    const invoiceId = bytes(32, 1);
    net.request(n1, { kind: 'add-invoice', invoiceId, currency: 'FST', totalDestPayment: 16n });
    net.request(n2, { kind: 'create-payment', paymentId: bytes(16, 3), invoiceId, currency: 'FST', totalDestPayment: 16n, destPublicKey: pk3 });
    net.request(n2, { kind: 'create-transaction', paymentId: bytes(16, 3), requestId: bytes(16, 3), route: [n2.signer.publicKey, n1.signer.publicKey, pk3], destPayment: 16n, fees: 4n });
    net.deliverAll();
    expect(n2.results.some((r) => r.kind === 'transaction-result' && r.result.kind === 'failure')).toBe(true);
    const closed = net.request(n2, { kind: 'request-close-payment', paymentId: bytes(16, 3) });
    const canceled = closed.find((r) => r.kind === 'payment-status');
    expect(canceled?.kind === 'payment-status' && canceled.status.kind).toBe('canceled');
    if (canceled?.kind === 'payment-status' && canceled.status.kind === 'canceled') {
      expect(net.request(n2, { kind: 'ack-close-payment', paymentId: bytes(16, 3), ackUid: canceled.status.ackUid })[0]).toMatchObject({ kind: 'ack', error: undefined });
    }
    expect(balanceOf(n2, n1, 'FST')).toBe(0n);

    // Node1 opens requests; a direct payment 16 + 4 fees to node1.
    net.request(n1, { kind: 'open-friend-currency', friendPublicKey: n2.signer.publicKey, currency: 'FST' });
    net.deliverAll();
    net.request(n2, { kind: 'create-payment', paymentId: bytes(16, 4), invoiceId, currency: 'FST', totalDestPayment: 16n, destPublicKey: n1.signer.publicKey });
    net.request(n2, { kind: 'create-transaction', paymentId: bytes(16, 4), requestId: bytes(16, 4), route: [n2.signer.publicKey, n1.signer.publicKey], destPayment: 16n, fees: 4n });
    net.deliverAll();
    const commit = commitOf(n2.results);
    expect(commit).toBeDefined();
    net.request(n2, { kind: 'request-close-payment', paymentId: bytes(16, 4) });
    expect(net.request(n1, { kind: 'commit-invoice', commit: commit! })[0]).toMatchObject({ kind: 'ack', error: undefined });
    net.deliverAll();
    expect(balanceOf(n1, n2, 'FST')).toBe(20n);
    expect(balanceOf(n2, n1, 'FST')).toBe(-20n);
    const mc = n1.state.friends.get(n2.key)!.channel;
    expect(mc.kind === 'consistent' && mc.tc.mutualCredits.get('FST')!.remotePendingDebt).toBe(0n);

    const status = net.request(n2, { kind: 'request-close-payment', paymentId: bytes(16, 4) }).find((r) => r.kind === 'payment-status');
    expect(status?.kind === 'payment-status' && status.status.kind).toBe('success');
    if (status?.kind !== 'payment-status' || status.status.kind !== 'success') return;
    const receipt = status.status.receipt;
    expect([receipt.destPayment, receipt.totalDestPayment, receipt.isComplete]).toEqual([16n, 16n, true]);
    expect(verifyReceipt(crypto, receipt, n1.signer.publicKey)).toBe(true);
    net.request(n2, { kind: 'ack-close-payment', paymentId: bytes(16, 4), ackUid: status.status.ackUid });
    const again = net.request(n2, { kind: 'request-close-payment', paymentId: bytes(16, 4) }).find((r) => r.kind === 'payment-status');
    expect(again?.kind === 'payment-status' && again.status.kind).toBe('not-found');
  });

  it('init announces our relays and each enabled friend to the channeler (§8.4 test_handle_init_basic)', () => {
    const { net, n1, n2 } = setup();
    net.request(n1, { kind: 'add-relay', relay: { publicKey: bytes(32, 0), address: 'r0', name: '' } });
    net.request(n1, { kind: 'add-friend', friendPublicKey: n2.signer.publicKey, relays: [{ publicKey: bytes(32, 3), address: 'r3' }], name: 'x' });
    net.request(n1, { kind: 'enable-friend', friendPublicKey: n2.signer.publicKey });
    n1.channeler.length = 0;
    const before = n1.state;
    net.run(n1, { kind: 'init' });
    expect(n1.state).toBe(before);
    expect(n1.channeler.map((o) => o.kind)).toEqual(['set-relays', 'update-friend']);
    const upd = n1.channeler[1]!;
    expect(upd.kind === 'update-friend' && upd.remoteRelays.map((r) => r.address)).toEqual(['r3']);
  });

  it('going online twice or for an unknown or disabled friend changes nothing (§8.4 test_handle_liveness_basic)', () => {
    const { net, n1, n2 } = setup();
    net.request(n1, { kind: 'add-friend', friendPublicKey: n2.signer.publicKey, relays: [], name: 'x' });
    const s0 = n1.state;
    net.run(n1, { kind: 'friend-online', friend: n2.signer.publicKey });
    expect(n1.state).toBe(s0); // disabled
    net.request(n1, { kind: 'enable-friend', friendPublicKey: n2.signer.publicKey });
    net.run(n1, { kind: 'friend-online', friend: n2.signer.publicKey });
    expect(n1.state.online.has(n2.key)).toBe(true);
    const s1 = n1.state;
    net.run(n1, { kind: 'friend-online', friend: n2.signer.publicKey });
    net.run(n1, { kind: 'friend-online', friend: bytes(32, 9) });
    expect(n1.state).toBe(s1);
  });

  it('refuses to befriend or enable itself and keeps working (§8.5 test_funder_error_command)', () => {
    const { net, n1, n2 } = setup();
    expect(net.request(n1, { kind: 'add-friend', friendPublicKey: n1.signer.publicKey, relays: [], name: 'me' })[0]).toMatchObject({ error: 'friend-is-self' });
    expect(net.request(n1, { kind: 'enable-friend', friendPublicKey: n1.signer.publicKey })[0]).toMatchObject({ error: 'friend-is-self' });
    expect(net.request(n1, { kind: 'add-friend', friendPublicKey: n2.signer.publicKey, relays: [], name: 'x' })[0]).toMatchObject({ error: undefined });
  });
});

describe('relays and capacities', () => {
  it('announces a new relay in the next token and completes the transition when answered (§8.4 test_handler_change_address)', () => {
    const { net, n1, n2 } = setup();
    net.befriend(n1, n2);
    const holder = (() => {
      const c = n1.state.friends.get(n2.key)!.channel;
      return c.kind === 'consistent' && c.tc.direction.kind === 'incoming' ? n1 : n2;
    })();
    const other = holder === n1 ? n2 : n1;
    holder.channeler.length = 0;
    net.request(holder, { kind: 'add-relay', relay: { publicKey: bytes(32, 11), address: 'r11', name: '' } });
    expect(holder.channeler.map((o) => o.kind)).toEqual(['set-relays', 'update-friend']);
    const token = net.queue[0]!.message;
    expect(token.kind === 'move-token-request' && token.tokenWanted).toBe(true);
    expect(token.kind === 'move-token-request' && token.moveToken.optLocalRelays?.map((r) => r.address)).toEqual(['r11']);
    expect(holder.state.friends.get(other.key)!.sentLocalRelays.kind).toBe('transition');
    holder.channeler.length = 0;
    net.deliverAll();
    expect(holder.state.friends.get(other.key)!.sentLocalRelays.kind).toBe('last-sent');
    expect(holder.channeler.map((o) => o.kind)).toEqual(['update-friend']);
    expect(other.state.friends.get(holder.key)!.remoteRelays.map((r) => r.address)).toEqual(['r11']);
  });

  it('reports what each online friend may still send us (§3.6)', () => {
    const { net, n1, n2 } = setup();
    net.befriend(n1, n2, ['FST'], 100n);
    expect(friendCapacities(n1.state)).toEqual([{ friend: n2.signer.publicKey, currency: 'FST', recvCapacity: 100n, rate: { mul: 0, add: 0 } }]);
    net.run(n1, { kind: 'friend-offline', friend: n2.signer.publicKey });
    expect(friendCapacities(n1.state)).toEqual([]);
  });
});
