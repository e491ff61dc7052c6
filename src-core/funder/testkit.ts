/** A deterministic in-memory harness for funders: nodes with seeded identities and randomness,
 *  a message queue between them, and helpers for the usual app requests. Used by the funder's
 *  tests, its simulation and its bench; it drives the real `step`, nothing is faked. */
import { type CryptoBackend, type Signer, identityFromSeed, seededRandom } from '../crypto/index.ts';
import type { FriendMessage } from '../proto/index.ts';
import { sealedLockOpener } from './auto-collect.ts';
import type { AppRequest, AppResult, Env, FunderEvent, Outgoing } from './events.ts';
import { type Hex, toHex } from './hex.ts';
import { stepAndApply } from './step.ts';
import { type FunderState, initialFunderState } from './state.ts';

export interface TestNode {
  readonly seed: Uint8Array;
  readonly signer: Signer;
  readonly key: Hex;
  state: FunderState;
  random: (n: number) => Uint8Array;
  readonly unseal: (sealed: Uint8Array) => Uint8Array | undefined;
  readonly results: AppResult[];
  readonly channeler: Outgoing[];
}

export interface Envelope {
  readonly from: Hex;
  readonly to: Hex;
  readonly message: FriendMessage;
}

export function makeNode(crypto: CryptoBackend, n: number): TestNode {
  const seed = new Uint8Array(32).fill(0);
  new DataView(seed.buffer).setUint32(0, n + 1);
  const signer = identityFromSeed(crypto, seed);
  return {
    seed, signer, key: toHex(signer.publicKey), state: initialFunderState(signer.publicKey), random: seededRandom(1000 + n),
    unseal: sealedLockOpener(crypto, seed), results: [], channeler: [],
  };
}

export class TestNet {
  readonly nodes = new Map<Hex, TestNode>();
  queue: Envelope[] = [];
  now = 0;
  private nextId = 1;

  constructor(readonly crypto: CryptoBackend) {}

  add(node: TestNode): TestNode {
    this.nodes.set(node.key, node);
    return node;
  }

  env(node: TestNode): Env {
    return { now: this.now, random: node.random, signer: node.signer, crypto: this.crypto, unseal: node.unseal };
  }

  /** Runs one event at `node`, applies its mutations, queues its friend messages. */
  run(node: TestNode, event: FunderEvent): AppResult[] {
    const out = stepAndApply(node.state, event, this.env(node));
    node.state = out.state;
    for (const m of out.messages) {
      if (m.kind === 'friend-message') this.queue.push({ from: node.key, to: toHex(m.to), message: m.message });
      else node.channeler.push(m);
    }
    node.results.push(...out.results);
    return [...out.results];
  }

  request(node: TestNode, request: AppRequest): AppResult[] {
    const id = new Uint8Array(16);
    new DataView(id.buffer).setUint32(12, this.nextId++);
    return this.run(node, { kind: 'app-request', requestId: id, request });
  }

  deliver(e: Envelope): AppResult[] {
    const to = this.nodes.get(e.to);
    if (to === undefined) return [];
    return this.run(to, { kind: 'friend-message', from: this.nodes.get(e.from)!.signer.publicKey, message: e.message });
  }

  /** Delivers in order until nothing is left. */
  deliverAll(limit = 100_000): void {
    for (let i = 0; this.queue.length > 0; i++) {
      if (i > limit) throw new Error(`no quiescence after ${limit} messages`);
      this.deliver(this.queue.shift()!);
    }
  }

  /** Two nodes become friends, enabled and online, sharing `currencies` with the given limits. */
  befriend(a: TestNode, b: TestNode, currencies: readonly string[] = ['FST'], maxDebt = 1000n): void {
    for (const [x, y] of [[a, b], [b, a]] as const) {
      this.request(x, { kind: 'add-friend', friendPublicKey: y.signer.publicKey, relays: [], name: y.key.slice(0, 8) });
      this.request(x, { kind: 'enable-friend', friendPublicKey: y.signer.publicKey });
      for (const c of currencies) {
        this.request(x, { kind: 'set-friend-currency-rate', friendPublicKey: y.signer.publicKey, currency: c, rate: { mul: 0, add: 0 } });
        this.request(x, { kind: 'set-friend-currency-max-debt', friendPublicKey: y.signer.publicKey, currency: c, remoteMaxDebt: maxDebt });
        this.request(x, { kind: 'open-friend-currency', friendPublicKey: y.signer.publicKey, currency: c });
      }
    }
    this.run(a, { kind: 'friend-online', friend: b.signer.publicKey });
    this.run(b, { kind: 'friend-online', friend: a.signer.publicKey });
    this.deliverAll();
  }
}

export function balanceOf(node: TestNode, friend: TestNode, currency: string): bigint | undefined {
  const f = node.state.friends.get(friend.key);
  return f?.channel.kind === 'consistent' ? f.channel.tc.mutualCredits.get(currency)?.balance : undefined;
}

export function bytes(n: number, v: number): Uint8Array {
  return new Uint8Array(n).fill(v);
}
