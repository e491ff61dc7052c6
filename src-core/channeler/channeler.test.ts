import { afterEach, describe, expect, it } from 'vitest';
import { nodeBackend } from '../crypto/backend.node.ts';
import { type Signer, comparePublicKeys, identityFromSeed, seededRandom } from '../crypto/index.ts';
import { decodeExact, encode } from '../codec/index.ts';
import { ChannelClosedError, type Clock, ManualClock, secureChannel, systemClock } from '../net/index.ts';
import { tcpConnect, tcpListen } from '../net/tcp.node.ts';
import { type RelayAddress, initConnection, relayToListener } from '../relay/index.ts';
import { type RelayServer, startRelayServer } from '../relay/server.node.ts';
import { backoffDelay } from './backoff.ts';
import { type Channeler, type ChannelerEvent, type ChannelerOptions, createChanneler } from './channeler.ts';

const crypto = nodeBackend;
const ident = (n: number): Signer => identityFromSeed(crypto, new Uint8Array(32).fill(n));
const nodeA = ident(1);
const nodeB = ident(2);
// the node whose key hashes lower listens; the other dials (channeler `is_listen_friend`)
const [listener, dialer] = comparePublicKeys(crypto, nodeA.publicKey, nodeB.publicKey) < 0 ? [nodeA, nodeB] : [nodeB, nodeA];

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const f of cleanup.splice(0).reverse()) await f(); });

/** Polls a condition with a bounded deadline (events cross real sockets). */
async function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

class Node {
  readonly events: ChannelerEvent[] = [];
  readonly channeler: Channeler;
  constructor(readonly identity: Signer, extra: Partial<ChannelerOptions> = {}, clock: Clock = systemClock) {
    this.channeler = createChanneler({
      identity, crypto, clock, dial: (a) => tcpConnect(a), onEvent: (e) => { this.events.push(e); },
      backoff: { initialMs: 20, maxMs: 200 }, ...extra,
    });
    cleanup.push(() => this.channeler.close());
  }
  count(kind: ChannelerEvent['kind']): number { return this.events.filter((e) => e.kind === kind).length; }
  messages(): string[] {
    return this.events.flatMap((e) => (e.kind === 'message' ? [new TextDecoder().decode(e.message)] : []));
  }
  online(friend: Signer): boolean { return this.channeler.isOnline(friend.publicKey); }
}

const relayIdent = (n: number): Signer => ident(100 + n);

async function startRelay(n: number, laddr = '127.0.0.1:0'): Promise<{ server: RelayServer; addr: RelayAddress }> {
  const id = relayIdent(n);
  const server = await startRelayServer({ identity: id, crypto, clock: systemClock, laddr });
  cleanup.push(() => server.close());
  return { server, addr: { publicKey: id.publicKey, address: server.address } };
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Two nodes, each on its own relay, friends of each other. */
async function twoNodes(): Promise<{ l: Node; d: Node; rl: Awaited<ReturnType<typeof startRelay>>; rd: Awaited<ReturnType<typeof startRelay>> }> {
  const rl = await startRelay(1);
  const rd = await startRelay(2);
  const l = new Node(listener);
  const d = new Node(dialer);
  l.channeler.setRelays([rl.addr]);
  d.channeler.setRelays([rd.addr]);
  l.channeler.updateFriend({ publicKey: dialer.publicKey, relays: [rd.addr] });
  d.channeler.updateFriend({ publicKey: listener.publicKey, relays: [rl.addr] });
  await until(() => l.online(dialer) && d.online(listener), 'both online');
  return { l, d, rl, rd };
}

describe('channeler', () => {
  it('holds an encrypted channel between two nodes on their own relays and carries messages both ways', async () => {
    const { l, d } = await twoNodes();
    expect(l.events[0]).toEqual({ kind: 'online', friend: dialer.publicKey });
    expect(d.events[0]).toEqual({ kind: 'online', friend: listener.publicKey });
    for (let i = 0; i < 20; i++) {
      expect(await d.channeler.send(listener.publicKey, text(`d${i}`))).toBe(true);
      expect(await l.channeler.send(dialer.publicKey, text(`l${i}`))).toBe(true);
    }
    await until(() => l.count('message') === 20 && d.count('message') === 20, 'messages');
    expect(l.messages()).toEqual(Array.from({ length: 20 }, (_, i) => `d${i}`));
    expect(d.messages()).toEqual(Array.from({ length: 20 }, (_, i) => `l${i}`));
  });

  it('reports a send to an offline or unknown friend as not sent', async () => {
    const n = new Node(nodeA);
    expect(await n.channeler.send(nodeB.publicKey, text('x'))).toBe(false);
    n.channeler.updateFriend({ publicKey: nodeB.publicKey, relays: [] });
    expect(await n.channeler.send(nodeB.publicKey, text('x'))).toBe(false);
  });

  it('tells which of its relays it listens on, as they come, go and are removed', async () => {
    let changes = 0;
    const n = new Node(ident(9), { onRelaysChange: () => { changes++; } });
    const r = await startRelay(7);
    expect(n.channeler.listeningRelays()).toEqual([]);
    n.channeler.setRelays([r.addr]);
    await until(() => n.channeler.listeningRelays().length === 1, 'listening on the relay');
    expect(n.channeler.listeningRelays()).toEqual([r.addr.publicKey]);
    expect(changes).toBe(1);
    const address = r.addr.address;
    await r.server.close();
    await until(() => n.channeler.listeningRelays().length === 0, 'the relay gone');
    expect(changes).toBe(2);
    await startRelay(7, address);
    await until(() => n.channeler.listeningRelays().length === 1, 'listening again');
    n.channeler.setRelays([]);
    expect(n.channeler.listeningRelays()).toEqual([]);
    expect(changes).toBe(4);
  });

  it('reconnects without intervention when the relay in use is killed and restarted', async () => {
    const { l, d, rl } = await twoNodes();
    const address = rl.addr.address;
    await rl.server.close();
    await until(() => !l.online(dialer) && !d.online(listener), 'both offline');
    expect(l.count('offline')).toBe(1);
    expect(d.count('offline')).toBe(1);
    await startRelay(1, address);
    await until(() => l.online(dialer) && d.online(listener), 'both online again');
    expect(await d.channeler.send(listener.publicKey, text('after restart'))).toBe(true);
    await until(() => l.messages().includes('after restart'), 'message after restart');
  });

  it('reconnects when a node restarts', async () => {
    const { l, d, rl, rd } = await twoNodes();
    for (const [old, who] of [[l, listener], [d, dialer]] as const) {
      const other = old === l ? d : l;
      const otherKey = who === listener ? dialer : listener;
      const offlineBefore = other.count('offline');
      old.channeler.close();
      await until(() => other.count('offline') > offlineBefore, 'peer sees offline');
      const again = new Node(who);
      again.channeler.setRelays([who === listener ? rl.addr : rd.addr]);
      again.channeler.updateFriend({ publicKey: otherKey.publicKey, relays: [who === listener ? rd.addr : rl.addr] });
      await until(() => again.online(otherKey) && other.online(who), 'online after restart');
      expect(await again.channeler.send(otherKey.publicKey, text('hello again'))).toBe(true);
      await until(() => other.messages().includes('hello again'), 'message after restart');
      if (old === l) Object.assign(l, { channeler: again.channeler, events: again.events });
      else Object.assign(d, { channeler: again.channeler, events: again.events });
    }
  });

  it('closes the channel and reports offline when a friend is removed, and does not redial', async () => {
    const { l, d } = await twoNodes();
    d.channeler.removeFriend(listener.publicKey);
    expect(d.events.at(-1)).toEqual({ kind: 'offline', friend: listener.publicKey });
    await until(() => !l.online(dialer), 'listener sees offline');
    // the listener still accepts, but the dialer no longer dials
    await new Promise((r) => setTimeout(r, 300));
    expect(l.online(dialer)).toBe(false);
    expect(d.count('online')).toBe(1);
  });

  it('never delivers a message twice or out of order across a relay failure (funder-style retransmit)', async () => {
    const { l, d, rl } = await twoNodes();
    // A minimal funder-like layer: sequence numbers, cumulative acks, resend of unacked
    // messages on every 'online' event. The channeler must never duplicate or reorder within
    // a channel; the retransmit layer recovers what a dead channel lost.
    const N = 200;
    let acked = 0;
    let nextSeq = 0;
    const delivered: number[] = [];
    const encode = (kind: number, n: number): Uint8Array => Uint8Array.of(kind, n >> 8, n & 0xff);
    const decode = (m: Uint8Array): [number, number] => [m[0] as number, ((m[1] as number) << 8) | (m[2] as number)];
    let lSeen = 0;
    let dSeen = 0;
    // what the dialer handed to each channel (epoch = its count of online events), in call order
    const sentPerEpoch = new Map<number, string[]>();
    const dSend = (m: Uint8Array): void => {
      if (d.online(listener)) {
        const epoch = d.count('online');
        sentPerEpoch.set(epoch, [...(sentPerEpoch.get(epoch) ?? []), Buffer.from(m).toString('hex')]);
      }
      void d.channeler.send(listener.publicKey, m);
    };
    const pump = (): void => {
      for (; lSeen < l.events.length; lSeen++) {
        const e = l.events[lSeen] as ChannelerEvent;
        if (e.kind !== 'message') continue;
        const [, seq] = decode(e.message);
        if (seq === delivered.length) delivered.push(seq); // exactly the next one: take it
        void l.channeler.send(dialer.publicKey, encode(1, delivered.length)); // cumulative ack
      }
      for (; dSeen < d.events.length; dSeen++) {
        const e = d.events[dSeen] as ChannelerEvent;
        if (e.kind === 'online') for (let s = acked; s < nextSeq; s++) dSend(encode(0, s));
        if (e.kind === 'message') acked = Math.max(acked, decode(e.message)[1]);
      }
    };
    const sendSome = (k: number): void => {
      for (let i = 0; i < k && nextSeq < N; i++, nextSeq++) dSend(encode(0, nextSeq));
    };
    sendSome(80);
    await until(() => { pump(); return acked >= 40; }, 'first acks');
    const address = rl.addr.address;
    await rl.server.close(); // in-flight messages and acks die with the relay
    sendSome(40); // sent while offline: dropped by the channeler, resent by the layer above
    await until(() => { pump(); return !d.online(listener); }, 'offline');
    await startRelay(1, address);
    await until(() => { pump(); return d.online(listener); }, 'online again');
    sendSome(N);
    const resend = setInterval(() => { for (let s = acked; s < nextSeq; s++) dSend(encode(0, s)); }, 200);
    try {
      await until(() => { pump(); return acked === N; }, 'all acked', 30_000);
    } finally {
      clearInterval(resend);
    }
    expect(delivered).toEqual(Array.from({ length: N }, (_, i) => i));
    // the channeler itself never duplicates, reorders or invents: within each channel, what the
    // listener received is a prefix of what the dialer handed over (a dying channel loses a tail)
    const receivedPerEpoch = new Map<number, string[]>();
    let epoch = 0;
    for (const e of l.events) {
      if (e.kind === 'online') epoch++;
      if (e.kind === 'message') receivedPerEpoch.set(epoch, [...(receivedPerEpoch.get(epoch) ?? []), Buffer.from(e.message).toString('hex')]);
    }
    expect(l.count('online')).toBe(2);
    for (const [k, got] of receivedPerEpoch) {
      const sent = sentPerEpoch.get(k) ?? [];
      expect(got.filter((m) => m.startsWith('00'))).toEqual(sent.slice(0, got.filter((m) => m.startsWith('00')).length));
    }
  });

  it('redials with exponential backoff and jitter on the injected clock', async () => {
    const clock = new ManualClock(0);
    const dials: number[] = [];
    const unreachable = { publicKey: relayIdent(9).publicKey, address: '127.0.0.1:1' }; // nothing listens
    const backoff = { initialMs: 1000, maxMs: 8000 };
    const n = new Node(dialer, {
      backoff, random: seededRandom(3),
      dial: (a) => { dials.push(clock.now()); return tcpConnect(a); },
    }, clock);
    n.channeler.updateFriend({ publicKey: listener.publicKey, relays: [unreachable] });
    clock.advance(0);
    await until(() => dials.length === 1, 'first dial');
    // the same seeded jitter the channeler draws from
    const expected = seededRandom(3);
    for (let k = 0; k < 6; k++) {
      const delay = backoffDelay(k, backoff, expected);
      await until(() => clock.pendingCount > 0, 'a retry scheduled');
      clock.advance(delay - 1);
      expect(dials.length).toBe(k + 1);
      clock.advance(1);
      await until(() => dials.length === k + 2, `dial ${k + 2}`);
      expect((dials[k + 1] as number) - (dials[k] as number)).toBe(delay);
    }
    const gaps = dials.slice(1).map((t, i) => t - (dials[i] as number));
    expect(gaps.at(-1)).toBeLessThanOrEqual(8000);
    expect(gaps.at(-1)).toBeGreaterThanOrEqual(4000);
  });

  it('does not let a malicious relay pass another node off as a friend', async () => {
    const evil = relayIdent(50);
    const mallory = ident(51);
    let impostor!: (p: { attempt: Promise<unknown> }) => void;
    const impostorResult = new Promise<{ attempt: Promise<unknown> }>((r) => { impostor = r; });
    // a "relay" that announces the dialer, then splices Mallory into the accepted tunnel
    const server = await tcpListen('127.0.0.1:0', (raw) => {
      void (async () => {
        const ch = await secureChannel(raw, { identity: evil, crypto, clock: systemClock });
        const init = decodeExact(initConnection, (await ch.receive()) as Uint8Array);
        if (!init.ok) return;
        if (init.value.kind === 'listen') {
          await ch.send(encode(relayToListener, { kind: 'incomingConnection', publicKey: dialer.publicKey }));
        } else if (init.value.kind === 'accept') {
          const attempt = secureChannel(ch, { identity: mallory, crypto, clock: systemClock });
          attempt.catch(() => {});
          impostor({ attempt });
        }
      })().catch(() => {});
    });
    cleanup.push(() => server.close());
    const l = new Node(listener);
    l.channeler.updateFriend({ publicKey: dialer.publicKey, relays: [] });
    l.channeler.setRelays([{ publicKey: evil.publicKey, address: server.address }]);
    const { attempt } = await impostorResult;
    await expect(attempt).rejects.toBeInstanceOf(ChannelClosedError);
    expect(l.online(dialer)).toBe(false);
    expect(l.events).toEqual([]);
  });

  it.each([
    ['throws', (): undefined => { throw new Error('a bug in the handler'); }, 'a bug in the handler'],
    ['returns a rejected promise', (): Promise<void> => Promise.reject(new Error('a failed job')), 'a failed job'],
  ] as const)('keeps the channel, logs and reads on when the event handler %s', async (_how, fail, message) => {
    const rl = await startRelay(1);
    const got: string[] = [];
    const logs: string[] = [];
    const l = new Node(listener, {
      log: (line) => logs.push(line),
      onEvent: (e) => {
        if (e.kind !== 'message') return undefined;
        const t = new TextDecoder().decode(e.message);
        got.push(t);
        return t === 'boom' ? fail() : undefined;
      },
    });
    const d = new Node(dialer);
    l.channeler.setRelays([rl.addr]);
    l.channeler.updateFriend({ publicKey: dialer.publicKey, relays: [] });
    d.channeler.updateFriend({ publicKey: listener.publicKey, relays: [rl.addr] });
    await until(() => l.online(dialer) && d.online(listener), 'online');
    await d.channeler.send(listener.publicKey, text('boom'));
    await d.channeler.send(listener.publicKey, text('after'));
    await until(() => got.includes('after'), 'the next message');
    expect(got).toEqual(['boom', 'after']);
    expect(l.online(dialer)).toBe(true);
    expect(logs.some((x) => x.includes(`event handler failed on message: ${message}`))).toBe(true);
  });

  it('reads no further from a friend while the handler holds it back, reads other friends meanwhile, and drops nothing', async () => {
    const rl = await startRelay(1);
    const rd = await startRelay(2);
    const re = await startRelay(3);
    const other = ident(3);
    let open!: () => void;
    const held = new Promise<void>((r) => { open = r; });
    const got: string[] = [];
    const l = new Node(listener, {
      onEvent: (e) => {
        if (e.kind !== 'message') return undefined;
        const t = new TextDecoder().decode(e.message);
        got.push(t);
        return t.startsWith('d') ? held : undefined; // the handler has no room for the dialer's messages
      },
    });
    const d = new Node(dialer);
    const o = new Node(other);
    l.channeler.setRelays([rl.addr]);
    d.channeler.setRelays([rd.addr]);
    o.channeler.setRelays([re.addr]);
    l.channeler.updateFriend({ publicKey: dialer.publicKey, relays: [rd.addr] });
    l.channeler.updateFriend({ publicKey: other.publicKey, relays: [re.addr] });
    d.channeler.updateFriend({ publicKey: listener.publicKey, relays: [rl.addr] });
    o.channeler.updateFriend({ publicKey: listener.publicKey, relays: [rl.addr] });
    await until(() => l.online(dialer) && l.online(other) && d.online(listener) && o.online(listener), 'all online');
    for (let i = 0; i < 100; i++) expect(await d.channeler.send(listener.publicKey, text(`d${i}`))).toBe(true);
    for (let i = 0; i < 10; i++) expect(await o.channeler.send(listener.publicKey, text(`o${i}`))).toBe(true);
    await until(() => got.includes('o9'), 'the other friend read');
    expect(got.filter((t) => t.startsWith('d'))).toEqual(['d0']);
    expect(got.filter((t) => t.startsWith('o'))).toEqual(Array.from({ length: 10 }, (_, i) => `o${i}`));
    open();
    await until(() => got.filter((t) => t.startsWith('d')).length === 100, 'the held-back messages');
    expect(got.filter((t) => t.startsWith('d'))).toEqual(Array.from({ length: 100 }, (_, i) => `d${i}`));
    expect(l.online(dialer)).toBe(true);
  });

  it('refuses to befriend itself', () => {
    const n = new Node(nodeA);
    expect(() => n.channeler.updateFriend({ publicKey: nodeA.publicKey, relays: [] })).toThrow(RangeError);
  });
});
