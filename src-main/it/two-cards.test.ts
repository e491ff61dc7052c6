/** Two local cards of one wallet host become friends through a real relay and index server and
 *  pay each other, driven only through the bridge (app.connect / app.request / app.message), the
 *  way the renderer drives them; their balances survive a lock and unlock, and stctrl attached
 *  to a card sees the same friends and balances as the bridge; a card exported, removed and
 *  imported again has its friend and balance and pays on. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runBin } from '../../src-core/cli/it/spawn.ts';
import {
  AppClient, type MessageTransport, type NodeReport, type PaymentPlan, executePayment, findFriend, formatBalance, formatFriendsTable, quotePayment,
} from '../../src-core/app/index.ts';
import { fromBase64Url, toBase64Url } from '../../src-core/codec/index.ts';
import { nodeBackend as crypto } from '../../src-core/crypto/backend.node.ts';
import { identityFromSeed } from '../../src-core/crypto/index.ts';
import { listenIndexServer } from '../../src-core/index/server.node.ts';
import { systemClock } from '../../src-core/net/index.ts';
import { befriendByApp, until } from '../../src-core/node/it/harness.ts';
import { startRelayServer } from '../../src-core/relay/server.node.ts';
import { openWalletHost, type RunningHost } from '../host.node.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Answer = { ok: boolean; value?: any; error?: { code: string; message: string } };
const PW = 'two cards password';
const BACKUP_PW = 'alice backup password';

/** The app protocol over the bridge for one card: requests as app.request, messages from
 *  app.message events. What the renderer's bridge client does with `window.offset`. */
function bridgeTransport(h: RunningHost, cardId: string): MessageTransport {
  const queue: Uint8Array[] = [];
  const waiting: Array<(m: Uint8Array | undefined) => void> = [];
  let closed = false;
  const unsubscribe = h.events.subscribe((text) => {
    const e = JSON.parse(text) as { name: string; payload: { cardId: string; message: string } };
    if (e.name !== 'app.message' || e.payload.cardId !== cardId || closed) return;
    const m = fromBase64Url(e.payload.message) as Uint8Array;
    const w = waiting.shift();
    if (w !== undefined) w(m); else queue.push(m);
  });
  return {
    async send(message) {
      if (closed) throw new Error('transport closed');
      const a = JSON.parse(await h.dispatcher.handle(JSON.stringify({ id: 1, name: 'app.request', args: { cardId, message: toBase64Url(message) } }))) as Answer;
      if (!a.ok) throw new Error(`app.request refused: ${a.error?.message}`);
    },
    receive: () => {
      const m = queue.shift();
      if (m !== undefined || closed) return Promise.resolve(m);
      return new Promise((r) => waiting.push(r));
    },
    close() {
      closed = true;
      unsubscribe();
      for (const w of waiting.splice(0)) w(undefined);
    },
  };
}

/** A fresh app session on the card, through the bridge. */
async function connect(h: RunningHost, call: (n: string, a?: unknown) => Promise<Answer>, cardId: string): Promise<AppClient> {
  const t = bridgeTransport(h, cardId);
  const client = AppClient.connect(t, { random: (n) => crypto.randomBytes(n) });
  expect(await call('app.connect', { cardId })).toMatchObject({ ok: true });
  const c = await client;
  cleanups.push(async () => c.close());
  return c;
}

async function quote(app: AppClient, destination: Uint8Array, amount: bigint): Promise<PaymentPlan> {
  const end = Date.now() + 30_000;
  for (;;) {
    const q = await quotePayment(app, { destination, currency: 'FST', amount });
    if (q.ok) return q.value;
    if (Date.now() > end) throw new Error(`no route for ${amount}: ${q.error.kind}`);
    await new Promise((r) => setTimeout(r, 100)); // bounded poll: the index server hears capacities on its own schedule
  }
}

/** The real stctrl, as a person would run it. */
const stctrl = (args: readonly string[]) => runBin('stctrl', args, process.cwd());

describe('two local cards in one host', () => {
  it('become friends through a relay, pay each other, and keep their balances across lock and unlock and a backup', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'offset-two-cards-'));
    cleanups.push(async () => rmSync(tmp, { recursive: true, force: true }));
    const relaySigner = identityFromSeed(crypto, new Uint8Array(32).fill(211));
    const indexSigner = identityFromSeed(crypto, new Uint8Array(32).fill(212));
    const relay = await startRelayServer({ identity: relaySigner, crypto, clock: systemClock, laddr: '127.0.0.1:0' });
    cleanups.push(() => relay.close());
    const index = await listenIndexServer({ identity: indexSigner, crypto, trusted: [], clientAddress: '127.0.0.1:0', serverAddress: '127.0.0.1:0' });
    cleanups.push(() => index.close());
    const internal: unknown[] = [];
    const h = await openWalletHost(join(tmp, 'data'), (e) => internal.push(e), { cost: { logN: 4, r: 8, p: 1 }, tickMs: 1000 });
    cleanups.push(() => h.close());
    const call = async (name: string, args: unknown = {}): Promise<Answer> => JSON.parse(await h.dispatcher.handle(JSON.stringify({ id: 1, name, args }))) as Answer;

    await call('wallet.create', { password: PW });
    const cardA = (await call('cards.create', { name: 'Alice' })).value.card as { id: string; publicKey: string };
    const cardB = (await call('cards.create', { name: 'Bob' })).value.card as { id: string; publicKey: string };
    const keyA = fromBase64Url(cardA.publicKey) as Uint8Array;
    const keyB = fromBase64Url(cardB.publicKey) as Uint8Array;
    const relayAddress = { publicKey: relaySigner.publicKey, address: relay.address };

    const befriend = (a: AppClient, friend: Uint8Array, name: string): Promise<void> =>
      befriendByApp(a, friend, name, { relay: relayAddress, index: { publicKey: indexSigner.publicKey, address: index.clientAddress } });
    const open = (friend: Uint8Array) => (r: NodeReport): boolean => {
      const f = findFriend(r, friend);
      return f?.online === true && f.currencies.some((c) => c.remoteRequestsOpen && c.localMaxDebt === 100n);
    };
    const balanceWith = (friend: Uint8Array, b: bigint) => (r: NodeReport): boolean => findFriend(r, friend)?.currencies[0]?.balance === b;
    const pay = async (from: AppClient, dest: Uint8Array, amount: bigint) => executePayment(from, {
      paymentId: crypto.randomBytes(16), invoiceId: crypto.randomBytes(32), currency: 'FST', totalDestPayment: amount, destPublicKey: dest, autoCollect: true,
    }, await quote(from, dest, amount), (n) => crypto.randomBytes(n));

    let a = await connect(h, call, cardA.id);
    let b = await connect(h, call, cardB.id);
    await befriend(a, keyB, 'Bob');
    await befriend(b, keyA, 'Alice');
    await until(a, open(keyB), 'Alice to see Bob online and open');
    await until(b, open(keyA), 'Bob to see Alice online and open');

    expect(await pay(a, keyB, 30n)).toMatchObject({ kind: 'receipt', fees: 0n });
    await until(a, balanceWith(keyB, -30n), 'Alice to owe Bob 30');
    await until(b, balanceWith(keyA, 30n), 'Bob to be owed 30 by Alice');
    const balances = async () => Object.fromEntries(((await call('cards.list')).value.cards as Array<{ name: string; balances: unknown }>).map((c) => [c.name, c.balances]));
    expect(await balances()).toEqual({ Alice: [{ currency: 'FST', balance: '-30' }], Bob: [{ currency: 'FST', balance: '30' }] });
    // every card says how near its nearest debt is to its limit: 30 of 100, owed by Alice to Bob
    const cards = (await call('cards.list')).value.cards as Array<{ name: string; closestToLimit: number }>;
    expect(Object.fromEntries(cards.map((c) => [c.name, c.closestToLimit]))).toEqual({ Alice: 30, Bob: 30 });

    // lock: the nodes stop, nothing is shown; unlock: they start again from their databases
    expect(await call('wallet.lock')).toMatchObject({ ok: true });
    expect(await balances()).toEqual({ Alice: [], Bob: [] });
    expect(await call('wallet.unlock', { password: PW })).toMatchObject({ ok: true });
    expect(await balances()).toEqual({ Alice: [{ currency: 'FST', balance: '-30' }], Bob: [{ currency: 'FST', balance: '30' }] });

    // and they pay again after the restart, the other way
    a = await connect(h, call, cardA.id);
    b = await connect(h, call, cardB.id);
    await until(a, open(keyB), 'Alice to see Bob again');
    await until(b, open(keyA), 'Bob to see Alice again');
    expect(await pay(b, keyA, 12n)).toMatchObject({ kind: 'receipt', fees: 0n });
    await until(a, balanceWith(keyB, -18n), 'Alice to owe Bob 18');
    await until(b, balanceWith(keyA, 18n), 'Bob to be owed 18');
    expect(await balances()).toEqual({ Alice: [{ currency: 'FST', balance: '-18' }], Bob: [{ currency: 'FST', balance: '18' }] });

    // stctrl attached to Alice's card sees what the bridge's client sees
    const access = (await call('cli.enable', { cardId: cardA.id, address: '127.0.0.1:0' })).value as { appIdent: string; nodeTicket: string };
    const cli = ['-I', access.appIdent, '-T', access.nodeTicket, 'info'];
    const [friends, total] = await Promise.all([stctrl([...cli, 'friends']), stctrl([...cli, 'balance'])]);
    const printed = (t: string): string => (t.endsWith('\n') ? t : `${t}\n`); // as stctrl's output adds a line end
    expect(friends).toMatchObject({ code: 0, stdout: printed(formatFriendsTable(a.report)) });
    expect(friends.stdout).toContain('Bob');
    expect(friends.stdout).toContain('=-18');
    expect(total).toMatchObject({ code: 0, stdout: printed(formatBalance(a.report)) });
    expect(total.stdout).toContain('-18');

    // a backup of Alice's card, the card removed, the backup imported: same key, friend, balance
    const exported = await call('cards.export', { cardId: cardA.id, password: BACKUP_PW });
    expect(exported).toMatchObject({ ok: true, value: { fileName: 'Alice.offset-card' } });
    const file = { kind: 'backup', text: exported.value.text as string };
    expect(await call('cards.import', { name: 'Twin', file, password: BACKUP_PW })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(await call('cards.remove', { cardId: cardA.id })).toMatchObject({ ok: true });
    expect(await call('cards.import', { name: 'Alice', file, password: 'not the password' })).toMatchObject({ ok: false, error: { code: 'wrong-password' } });
    expect(await balances()).toEqual({ Bob: [{ currency: 'FST', balance: '18' }] });
    const imported = await call('cards.import', { name: 'Alice', file, password: BACKUP_PW });
    expect(imported).toMatchObject({ ok: true, value: { card: { name: 'Alice', publicKey: cardA.publicKey, online: true } } });
    expect(await balances()).toEqual({ Bob: [{ currency: 'FST', balance: '18' }], Alice: [{ currency: 'FST', balance: '-18' }] });
    a = await connect(h, call, imported.value.card.id as string);
    await until(a, open(keyB), 'the imported Alice to see Bob');
    expect(findFriend(a.report, keyB)).toMatchObject({ name: 'Bob', currencies: [{ balance: -18n }] });
    expect(await pay(a, keyB, 5n)).toMatchObject({ kind: 'receipt', fees: 0n });
    await until(b, balanceWith(keyA, 23n), 'Bob to be owed 23 by the imported Alice');
    expect(internal).toEqual([]);
  }, 90_000);
});
