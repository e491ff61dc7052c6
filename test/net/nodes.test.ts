/** Nodes on virtual hosts: three stnode processes in a line (n0 — n1 — n2), a strelay and a
 *  stindex, each in its own namespace, every link at 5 % loss, configured and driven with stctrl
 *  as a user would (node-net.ts). n0 pays n2 through n1 while n1 is SIGKILLed and restarted
 *  mid-way; the buyer is never killed, so afterwards the balances must show exactly the payments
 *  stctrl reported successful, mirrored on both sides of each friendship, nothing kept by n1. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { toBase64Url } from '../../src-core/codec/index.ts';
import { VirtualNet, netSupport } from './harness.ts';
import { NodeNet } from './node-net.ts';

const support = await netSupport();
const canRun = support.netns && (support.netem || support.iptablesLoss);
const nodes = ['n0', 'n1', 'n2'];
let net: VirtualNet;
let nn: NodeNet;
let dir = '';

async function poll<T>(what: string, f: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const title = 'stnode processes on lossy virtual hosts, a mediator killed mid-payment';
describe.skipIf(!canRun)(canRun ? title : `${title} (skipped: ${support.reasons.join('; ')})`, () => {
  beforeAll(async () => {
    net = await VirtualNet.create('10.77.3');
    dir = await mkdtemp(join(tmpdir(), 'offset-net-nodes-'));
    nn = await NodeNet.create(net, dir, nodes, { lossPct: 5, delayMs: 50, jitterMs: 20 });
    await Promise.all([nn.befriend('n0', 'n1', 1000n), nn.befriend('n1', 'n2', 1000n)]);
  }, 240_000);

  afterAll(async () => {
    await net?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('pays n0 → n2 through n1, which is SIGKILLed and restarted; every credit is accounted for', async () => {
    const dest = toBase64Url(nn.keyOf('n2'));
    const pay = async (): Promise<'ok' | 'failed'> => {
      const r = await nn.ctrl('n0', ['funds', 'send-funds', '--amount', '10', '--dest', dest]);
      return r.code === 0 && r.out.startsWith('Payment successful!') ? 'ok' : 'failed';
    };
    // the first payment waits for the index server to learn the route
    await poll('a first payment n0 → n2', async () => ((await pay()) === 'ok' ? true : undefined), 120_000);
    let succeeded = 1;
    let failed = 0;
    for (let i = 0; i < 6; i++) {
      const p = pay();
      if (i === 2) {
        await nn.kill('n1');
        await nn.start('n1');
      }
      if ((await p) === 'ok') succeeded++; else failed++;
    }
    // settle: payments after the restart go through again
    await poll('a payment after the restart', async () => ((await pay()) === 'ok' ? true : undefined), 120_000);
    succeeded++;
    const total = BigInt(succeeded) * 10n;
    const exact = async (): Promise<true | undefined> => {
      const [b0, b1, b2] = await Promise.all(nodes.map((n) => nn.balances(n)));
      const pairs = [b0?.get('n1'), b1?.get('n0'), b1?.get('n2'), b2?.get('n1')];
      return pairs.join() === [-total, total, -total, total].join() ? true : undefined;
    };
    await poll(`balances to show exactly ${succeeded} payments of 10`, exact, 60_000).catch(async (e: Error) => {
      const all = await Promise.all(nodes.map(async (n) => `${n}: ${JSON.stringify([...(await nn.balances(n))].map(([k, v]) => [k, String(v)]))}`));
      throw new Error(`${e.message} (failed ${failed})\n${all.join('\n')}`);
    });
    console.log(JSON.stringify({ figure: 'net.nodes.payments', succeeded, failed, mediatorKills: 1 }));
  }, 400_000);
});
