/** A real stnode process under peers that send as fast as they can, its memory from /proc (Linux):
 *    node.rss_mb.idle             after start, configuration, a friend and an app connected
 *    node.rss_mb.flooding_friend  peak while an enabled friend (through a real strelay, inside a
 *                                 proper end-to-end secure channel) sends credit-terms messages,
 *                                 each with many currencies, as fast as its channel lets it;
 *                                 `appliedWhenAnswered`: how many of them the node had applied
 *                                 when it answered the honest app right after (the rest are still
 *                                 on their way: held back, not dropped)
 *    node.rss_mb.flooding_app     peak while a trusted app sends requests as fast as it can and
 *                                 never reads an ack, plus 50 more apps that connect and sit idle
 *    node.rss_mb.after_floods     once both stopped
 *  Each figure also says how much the flooder got written, and whether the node still answered an
 *  honest app within its deadline right after. The bounds: src-core/app/server.ts (requests in
 *  flight per app, bytes queued to an app), src-core/node/intake.ts (messages per friend in the
 *  node; past it the channeler stops reading the friend), the channel's high-water marks (a node
 *  that does not keep up stops reading), the relay's limits. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppClient, appToNode, findFriend } from '../src-core/app/index.ts';
import { encode } from '../src-core/codec/index.ts';
import { nodeBackend as crypto } from '../src-core/crypto/backend.node.ts';
import { type Signer, comparePublicKeys, identityFromSeed, seededRandom } from '../src-core/crypto/index.ts';
import { formatAppTicket, formatIdent, identFromSeed } from '../src-core/files/index.ts';
import { type SecureChannel, describeClose, secureChannel, systemClock as clock } from '../src-core/net/index.ts';
import { tcpConnect } from '../src-core/net/tcp.node.ts';
import { encodePeerMessage } from '../src-core/node/index.ts';
import { connectViaRelay } from '../src-core/relay/index.ts';
import { initNodeDatabase } from '../src-core/store/index.node.ts';
import type { BenchContext } from './figure.ts';
import { startStrelay } from './strelay-process.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const rssMb = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? NaN : Number(m[1]) / 1024;
};
const mb = (x: number): number => Number(x.toFixed(1));

async function startStnode(dir: string, seed: Uint8Array): Promise<{ child: ChildProcess; address: string }> {
  await writeFile(join(dir, 'node.ident'), formatIdent(identFromSeed(crypto, seed)), { mode: 0o600 });
  await initNodeDatabase(join(dir, 'node.db'), crypto.ed25519PublicKey(seed));
  const bin = fileURLToPath(new URL('../bin/stnode.js', import.meta.url));
  const child = spawn(process.execPath, [bin, '--database', join(dir, 'node.db'), '--idfile', join(dir, 'node.ident'),
    '--laddr', '127.0.0.1:0', '--trusted', join(dir, 'trusted')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /listening for apps on (\S+)/.exec(out);
      if (m !== null) resolve(m[1] as string);
    });
    child.on('exit', (code) => reject(new Error(`stnode exited with ${code}`)));
  });
  return { child, address };
}

export async function run(ctx: BenchContext): Promise<void> {
  if (process.platform !== 'linux') { ctx.log('node-flood: needs /proc (Linux); skipped'); return; }
  const floodMs = Number(process.env['NODE_FLOOD_MS'] ?? (ctx.quick ? 3_000 : 10_000));
  const dir = await mkdtemp(join(tmpdir(), 'offset-bench-flood-'));
  await mkdir(join(dir, 'trusted'));
  const nodeSeed = new Uint8Array(32).fill(5);
  const nodeKey = crypto.ed25519PublicKey(nodeSeed);
  const appSigners = Array.from({ length: 52 }, (_, i) => identityFromSeed(crypto, new Uint8Array(32).fill(100 + i)));
  for (const [i, s] of appSigners.entries()) {
    await writeFile(join(dir, 'trusted', `app${i}.ticket`), formatAppTicket({ publicKey: s.publicKey, permissions: { buyer: true, seller: true, config: true, routes: true } }));
  }
  const strelay = await startStrelay(dir);
  const relay = { publicKey: strelay.publicKey, address: strelay.address };
  const { child, address } = await startStnode(dir, nodeSeed);
  const pid = child.pid as number;
  const closers: (() => void)[] = [];
  const connectApp = async (s: Signer): Promise<SecureChannel> =>
    secureChannel(await tcpConnect(address), { identity: s, crypto, clock, expectedRemote: nodeKey });
  try {
    const honest = await AppClient.connect(await connectApp(appSigners[0] as Signer), { random: seededRandom(3) });
    closers.push(() => honest.close());
    const answers = async (): Promise<boolean> => {
      const t = honest.request({ kind: 'set-accept-auto-collect', accept: true }).then(() => true, () => false);
      return Promise.race([t, sleep(10_000).then(() => false)]);
    };
    // a friend whose key sorts above the node's, so the node listens for it on the relay
    let mallory!: Signer;
    for (let s = 1; ; s++) {
      mallory = identityFromSeed(crypto, new Uint8Array(32).fill(s));
      if (comparePublicKeys(crypto, nodeKey, mallory.publicKey) < 0) break;
    }
    await honest.request({ kind: 'add-relay', relay: { ...relay, name: 'relay' } });
    await honest.request({ kind: 'add-friend', friendPublicKey: mallory.publicKey, name: 'mallory', relays: [relay], initialBalances: [] });
    await honest.request({ kind: 'set-friend-currency-max-debt', friendPublicKey: mallory.publicKey, currency: 'FST', remoteMaxDebt: 50n });
    await honest.request({ kind: 'open-friend-currency', friendPublicKey: mallory.publicKey, currency: 'FST' });
    await honest.request({ kind: 'enable-friend', friendPublicKey: mallory.publicKey });
    let friend: SecureChannel | undefined;
    for (const end = Date.now() + 20_000; friend === undefined;) {
      try {
        const t = await connectViaRelay(relay, nodeKey, { identity: mallory, crypto, clock, dial: (x) => tcpConnect(x) });
        friend = await secureChannel(t, { identity: mallory, crypto, clock, expectedRemote: nodeKey });
      } catch (e) {
        if (Date.now() > end) throw e;
        await sleep(200); // the node may not listen for mallory yet
      }
    }
    closers.push(() => friend?.close());
    await sleep(1_000);
    ctx.report({ figure: 'node.rss_mb.idle', value: mb(rssMb(pid)), unit: 'MB' });

    const flood = async (what: string, send: (i: number) => Promise<unknown>, extra: Record<string, unknown> = {}): Promise<void> => {
      let peak = rssMb(pid);
      const sampler = setInterval(() => { try { peak = Math.max(peak, rssMb(pid)); } catch { /* exited */ } }, 50);
      let sent = 0;
      let cut = false;
      const until = performance.now() + floodMs;
      try {
        while (performance.now() < until) {
          await Promise.race([send(sent), sleep(until - performance.now())]);
          sent++;
        }
      } catch {
        cut = true;
      }
      clearInterval(sampler);
      const alive = child.exitCode === null && await answers();
      ctx.report({ figure: `node.rss_mb.${what}`, value: mb(peak), unit: 'MB', floodMs, sent, cutOff: cut, nodeAnswersAfter: alive, ...extra });
    };

    // FST is the friendship's currency: the node's report shows the last terms it applied (maxDebt i)
    const currencies = Array.from({ length: 16 }, (_, i) => ({ currency: i === 0 ? 'FST' : `C${i}`, maxDebt: 1n, isOpen: true }));
    const applied = (): number => {
      const fst = findFriend(honest.report, mallory.publicKey)?.currencies.find((c) => c.currency === 'FST');
      return fst === undefined ? 0 : Number(fst.localMaxDebt) + 1;
    };
    await flood('flooding_friend', (i) =>
      (friend as SecureChannel).send(encodePeerMessage({ kind: 'terms', currencies: currencies.map((c) => ({ ...c, maxDebt: BigInt(i) })) })),
    { get appliedWhenAnswered() { return applied(); } });
    friend.close();

    const idle = await Promise.all(appSigners.slice(2).map((s) => connectApp(s)));
    for (const c of idle) closers.push(() => c.close());
    const flooder = await connectApp(appSigners[1] as Signer);
    closers.push(() => flooder.close());
    await flood('flooding_app', (i) => {
      const requestId = new Uint8Array(16);
      new DataView(requestId.buffer).setUint32(0, i);
      return flooder.send(encode(appToNode, { requestId, request: { kind: 'set-accept-auto-collect', accept: i % 2 === 0 } }));
    }, { idleApps: idle.length, get closed() { return flooder.closeReason === undefined ? 'open' : describeClose(flooder.closeReason); } });
    flooder.close();
    for (const c of idle) c.close();
    await sleep(2_000);
    ctx.report({ figure: 'node.rss_mb.after_floods', value: mb(rssMb(pid)), unit: 'MB' });
  } finally {
    for (const c of closers) c();
    child.kill('SIGTERM');
    strelay.child.kill('SIGTERM');
    await Promise.all([new Promise((r) => child.once('exit', r)), new Promise((r) => strelay.child.once('exit', r))]);
    await rm(dir, { recursive: true, force: true });
  }
}
