/** Bad input never crashes the node nor changes anything (issue 6 "Done when"): apps without a
 *  ticket or without a permission, malformed requests, corrupt or foreign databases, a node
 *  ticket with the wrong key. Each gets a clear error and the node keeps serving. */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConnectionClosedError, AppRequestError, MAX_INDEX_SERVERS, nodeToApp } from '../../app/index.ts';
import { decodeExact } from '../../codec/index.ts';
import { nodeBackend as crypto } from '../../crypto/backend.node.ts';
import { identityFromSeed } from '../../crypto/index.ts';
import { formatAppTicket, formatIdent, formatNodeTicket, identFromSeed } from '../../files/index.ts';
import { secureChannel, systemClock } from '../../net/index.ts';
import { tcpConnect } from '../../net/tcp.node.ts';
import { initNodeDatabase } from '../../store/index.node.ts';
import { Net, type TestNode, connectApp } from './harness.ts';
import { isOneLineFailure, runBin } from '../../cli/it/spawn.ts';

let net: Net;
let a: TestNode;
beforeAll(async () => {
  net = await Net.create(5);
  a = await net.addNode('A', 51);
});
afterAll(async () => { await net.close(); });

const stranger = new Uint8Array(32).fill(99);

async function stillServes(): Promise<void> {
  await a.app.request({ kind: 'set-accept-auto-collect', accept: true });
  expect(a.app.isClosed).toBe(false);
}

describe('apps the node must refuse', () => {
  it('closes the connection of an app without a ticket, before any report', async () => {
    const e = await connectApp(a.address, stranger, a.publicKey).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppConnectionClosedError);
    await stillServes();
  });

  it('refuses each request the app\'s ticket does not permit, and changes nothing', async () => {
    const seed = new Uint8Array(32).fill(98);
    await writeFile(join(a.dir, 'trusted', 'config-only.ticket'), formatAppTicket({
      publicKey: identityFromSeed(crypto, seed).publicKey, permissions: { buyer: false, seller: false, config: true, routes: false },
    }));
    const app = await connectApp(a.address, seed, a.publicKey);
    try {
      const before = JSON.stringify(a.node.report(), (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
      for (const request of [
        { kind: 'create-payment', paymentId: new Uint8Array(16), invoiceId: new Uint8Array(32), currency: 'FST', totalDestPayment: 5n, destPublicKey: stranger, autoCollect: true },
        { kind: 'add-invoice', invoiceId: new Uint8Array(32), currency: 'FST', totalDestPayment: 5n },
        { kind: 'request-routes', currency: 'FST', amount: 5n, source: a.publicKey, destination: stranger, exclude: undefined },
      ] as const) {
        const e = await app.request(request).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(AppRequestError);
        expect((e as AppRequestError).code).toBe('permission-denied');
        expect((e as AppRequestError).message).toMatch(/lacks the (buyer|seller|routes) permission/);
      }
      expect(JSON.stringify(a.node.report(), (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).toBe(before);
      await app.request({ kind: 'add-relay', relay: { publicKey: stranger, address: '127.0.0.1:1', name: 'x' } });
      await app.request({ kind: 'remove-relay', publicKey: stranger });
    } finally {
      app.close();
    }
    await stillServes();
  });

  it('closes the connection of an app whose ticket is taken out of the trusted directory', async () => {
    const seed = new Uint8Array(32).fill(96);
    const path = join(a.dir, 'trusted', 'temporary.ticket');
    await writeFile(path, formatAppTicket({ publicKey: identityFromSeed(crypto, seed).publicKey, permissions: { buyer: false, seller: false, config: true, routes: false } }));
    const app = await connectApp(a.address, seed, a.publicKey);
    await app.request({ kind: 'set-accept-auto-collect', accept: true });
    await rm(path);
    const why = await Promise.race([app.closed, new Promise<'open'>((r) => setTimeout(() => r('open'), 20_000))]);
    expect(why).toBeInstanceOf(AppConnectionClosedError);
    const again = await connectApp(a.address, seed, a.publicKey).catch((x: unknown) => x);
    expect(again).toBeInstanceOf(AppConnectionClosedError);
    await stillServes();
  }, 30_000);

  it('ignores a ticket file with a broken key in the trusted directory; valid tickets still admit', async () => {
    const seed = new Uint8Array(32).fill(95);
    const good = formatAppTicket({ publicKey: identityFromSeed(crypto, seed).publicKey, permissions: { buyer: false, seller: false, config: true, routes: false } });
    const key = /[A-Za-z0-9_-]{43}/.exec(good)?.[0] as string;
    await writeFile(join(a.dir, 'trusted', 'broken.ticket'), good.replace(key, `${key.slice(0, 40)}!!!`));
    const refused = await connectApp(a.address, seed, a.publicKey).catch((x: unknown) => x);
    expect(refused).toBeInstanceOf(AppConnectionClosedError);
    await writeFile(join(a.dir, 'trusted', 'fixed.ticket'), good);
    const app = await connectApp(a.address, seed, a.publicKey);
    await app.request({ kind: 'set-accept-auto-collect', accept: true });
    app.close();
    await rm(join(a.dir, 'trusted', 'broken.ticket'));
    await stillServes();
  });

  it('acks a malformed request with a clear error and keeps the connection', async () => {
    const seed = new Uint8Array(32).fill(97);
    await writeFile(join(a.dir, 'trusted', 'raw.ticket'), formatAppTicket({
      publicKey: identityFromSeed(crypto, seed).publicKey, permissions: { buyer: true, seller: true, config: true, routes: true },
    }));
    const raw = await tcpConnect(a.address);
    const ch = await secureChannel(raw, { identity: identityFromSeed(crypto, seed), crypto, clock: systemClock, expectedRemote: a.publicKey });
    try {
      const first = decodeExact(nodeToApp, (await ch.receive()) as Uint8Array);
      expect(first.ok && first.value.kind).toBe('report');
      for (const body of [[0xff, 0xff], [4, 1, 2, 3], []]) {
        const id = crypto.randomBytes(16);
        await ch.send(Uint8Array.from([...id, ...body]));
        const ack = decodeExact(nodeToApp, (await ch.receive()) as Uint8Array);
        expect(ack.ok).toBe(true);
        if (!ack.ok || ack.value.kind !== 'ack') throw new Error('expected an ack');
        expect(ack.value.requestId).toEqual(id);
        expect(ack.value.result).toMatchObject({ kind: 'error', error: { code: 'malformed-request' } });
      }
    } finally {
      ch.close();
    }
    await stillServes();
  });

  it('refuses an index server past the maximum and goes on (found by test/fuzz/live-node)', async () => {
    // over the maximum, the configuration could no longer be encoded: the node closed the app's
    // connection and kept an unstorable configuration in memory
    const keys = Array.from({ length: MAX_INDEX_SERVERS + 1 }, (_, i) => { const k = new Uint8Array(32).fill(7); k[0] = i; return k; });
    const already = a.app.report.indexServers.length;
    const added: Uint8Array[] = [];
    for (const k of keys.slice(0, MAX_INDEX_SERVERS - already)) {
      await a.app.request({ kind: 'add-index-server', server: { publicKey: k, address: '127.0.0.1:9', name: '' } });
      added.push(k);
    }
    const e = await a.app.request({ kind: 'add-index-server', server: { publicKey: keys[MAX_INDEX_SERVERS] as Uint8Array, address: '127.0.0.1:9', name: '' } }).catch((x: unknown) => x);
    expect((e as AppRequestError).code).toBe('max-index-servers-reached');
    // replacing one that is there is still allowed
    await a.app.request({ kind: 'add-index-server', server: { publicKey: added[0] as Uint8Array, address: '127.0.0.1:10', name: 'x' } });
    for (const k of added) await a.app.request({ kind: 'remove-index-server', publicKey: k });
    expect(a.app.report.indexServers).toHaveLength(already);
    await stillServes();
  });

  it('refuses a request naming an unknown friend with the funder\'s reason', async () => {
    const e = await a.app.request({ kind: 'enable-friend', friendPublicKey: stranger }).catch((x: unknown) => x);
    expect((e as AppRequestError).code).toBe('friend-does-not-exist');
    expect(a.app.report.friends).toHaveLength(0);
  });
});

describe('files stnode and stctrl must refuse', () => {
  it('refuses a corrupt database and a foreign one, leaving both files as they were', async () => {
    const dir = join(net.dir, 'refusals');
    await mkdir(join(dir, 'trusted'), { recursive: true });
    const ident = identFromSeed(crypto, new Uint8Array(32).fill(61));
    await writeFile(join(dir, 'node.ident'), formatIdent(ident));
    await writeFile(join(dir, 'corrupt.db'), crypto.randomBytes(4096));
    await initNodeDatabase(join(dir, 'foreign.db'), identFromSeed(crypto, new Uint8Array(32).fill(62)).publicKey);
    const noTrusted = await runBin('stnode', ['--database', 'foreign.db', '--idfile', 'node.ident', '--laddr', '127.0.0.1:0', '--trusted', 'nope'], dir);
    expect(isOneLineFailure(noTrusted)).toBe(true);
    expect(noTrusted.stderr).toMatch(/--trusted/);
    for (const [db, why] of [['corrupt.db', /database/], ['foreign.db', /identity|public key/]] as const) {
      const before = await readFile(join(dir, db));
      const r = await runBin('stnode', ['--database', db, '--idfile', 'node.ident', '--laddr', '127.0.0.1:0', '--trusted', 'trusted'], dir);
      expect(isOneLineFailure(r)).toBe(true);
      expect(r.stderr).toMatch(why);
      expect(await readFile(join(dir, db))).toEqual(before);
    }
  }, 60_000);

  it('refuses a database another node process is using', async () => {
    await writeFile(join(a.dir, 'node.ident'), formatIdent(identFromSeed(crypto, a.seed)));
    const r = await runBin('stnode', ['--database', 'node.db', '--idfile', 'node.ident', '--laddr', '127.0.0.1:0', '--trusted', 'trusted'], a.dir);
    expect(isOneLineFailure(r)).toBe(true);
    expect(r.stderr).toMatch(/lock|in use/i);
    await stillServes();
  }, 60_000);

  it('stctrl refuses a node ticket whose key is not the node\'s, and the node goes on', async () => {
    const dir = join(net.dir, 'wrong-key');
    await mkdir(dir, { recursive: true });
    const appSeed = new Uint8Array(32).fill(52); // A's app (harness: fill(n + 1))
    await writeFile(join(dir, 'app.ident'), formatIdent(identFromSeed(crypto, appSeed)));
    const wrongKey = identFromSeed(crypto, new Uint8Array(32).fill(63)).publicKey;
    await writeFile(join(dir, 'wrong.ticket'), formatNodeTicket({ publicKey: wrongKey, address: a.address }));
    await writeFile(join(dir, 'right.ticket'), formatNodeTicket({ publicKey: a.publicKey, address: a.address }));
    const bad = await runBin('stctrl', ['-I', 'app.ident', '-T', 'wrong.ticket', 'info', 'public-key'], dir);
    expect(isOneLineFailure(bad)).toBe(true);
    expect(bad.stderr).toMatch(/cannot connect to the node/);
    const good = await runBin('stctrl', ['-I', 'app.ident', '-T', 'right.ticket', 'info', 'public-key'], dir);
    expect(good.code).toBe(0);
    expect(good.stdout.trim()).toBe(Buffer.from(a.publicKey).toString('base64url'));
    await stillServes();
  }, 60_000);
});
