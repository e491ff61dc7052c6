/** THE acceptance test (issue 6): the tutorial of seeds/000_* command for command, in a temporary
 *  my_offset directory, with the real programs: strelay, stindex and two stnode processes on
 *  127.0.0.1, every stmgr / stctrl / stregister invocation as printed (addresses filled in where
 *  the seed text lost them). Each output the tutorial shows is checked. */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Background, background, freePort, poll, sh } from './procs.ts';

let dir = '';
const running: Background[] = [];
const ports = { relay: 0, lclient: 0, lserver: 0, node0: 0, node1: 0 };

beforeAll(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'offset-tutorial-')), 'my_offset');
  await mkdir(dir);
  for (const k of Object.keys(ports) as (keyof typeof ports)[]) ports[k] = await freePort();
});
afterAll(async () => {
  for (const b of running.reverse()) await b.stop('SIGTERM');
  if (dir) await rm(join(dir, '..'), { recursive: true, force: true });
});

/** Runs a tutorial line; it must succeed. Returns stdout. */
async function ok(line: string): Promise<string> {
  const r = await sh(line, dir);
  if (r.code !== 0) throw new Error(`${line}\nexit ${r.code}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

const ctrl0 = 'stctrl -I app0/app0.ident -T node0/node0.ticket';
const ctrl1 = 'stctrl -I app1/app1.ident -T node1/node1.ticket';

/** The friends table of the tutorial, for one friend named `name`. */
function table(st: string, name: string, lr: string, rr: string, b: number, lmd: number, rmd: number): string {
  const rows = [`C: LR=${lr}, RR=${rr}`, `B  =${b}`, `LMD=${lmd}`, `RMD=${rmd}`, 'LPD=0', 'RPD=0'];
  const w = Math.max('balance'.length, ...rows.map((r) => r.length));
  const nw = Math.max('name'.length, name.length);
  const line = (a: string, n: string, c: string): string => `| ${a.padEnd(2)} | ${n.padEnd(nw)} | ${c.padEnd(w)} |`;
  return [line('st', 'name', 'balance'), line(st, name, rows[0] as string), ...rows.slice(1).map((r) => line('', '', r))].join('\n') + '\n';
}

async function friendsEventually(ctrl: string, expected: string): Promise<void> {
  let last = '';
  await poll(`info friends to show\n${expected}`, async () => {
    last = await ok(`${ctrl} info friends`);
    return last === expected ? true : undefined;
  }, 45_000).catch((e: Error) => { throw new Error(`${e.message}\nlast output:\n${last}`); });
}

describe('the tutorial of seeds/000, command for command', () => {
  it('sets up two nodes, a relay and an index server, makes them friends and pays both ways', async () => {
    // Initial setup
    await mkdir(join(dir, 'node0'));
    await mkdir(join(dir, 'node0/trusted'));
    await mkdir(join(dir, 'app0'));
    await ok('stmgr gen-ident --output node0/node0.ident');
    await ok('stmgr gen-ident --output app0/app0.ident');
    await ok('stmgr init-node-db --idfile node0/node0.ident --output node0/node0.db');
    await ok(`stmgr node-ticket --address 127.0.0.1:${ports.node0} --idfile node0/node0.ident --output node0/node0.ticket`);
    await ok('stmgr app-ticket --idfile app0/app0.ident --pconfig --pfunds --proutes --output node0/trusted/app0.ticket');

    // Running your own relay
    await mkdir(join(dir, 'relay'));
    await ok('stmgr gen-ident --output relay/relay.ident');
    running.push(await background(`strelay --idfile relay/relay.ident --laddr 127.0.0.1:${ports.relay}`, dir, /listening/));
    await ok(`stmgr relay-ticket --address 127.0.0.1:${ports.relay} --idfile relay/relay.ident --output relay/relay.ticket`);

    // Running your own index server
    await mkdir(join(dir, 'index'));
    await ok('stmgr gen-ident --output index/index.ident');
    await mkdir(join(dir, 'index/trusted'));
    await ok(`stmgr index-ticket --idfile index/index.ident --address 127.0.0.1:${ports.lserver} --output index_server.ticket`);
    running.push(await background(
      `stindex --idfile index/index.ident --lclient 127.0.0.1:${ports.lclient} --lserver 127.0.0.1:${ports.lserver} --trusted index/trusted`,
      dir, /listening/));
    await ok(`stmgr index-ticket --idfile index/index.ident --address 127.0.0.1:${ports.lclient} --output index_client.ticket`);

    // Starting the node
    running.push(await background(
      `stnode --database node0/node0.db --idfile node0/node0.ident --laddr 127.0.0.1:${ports.node0} --trusted node0/trusted`, dir, /listening/));

    // Relays and index servers
    await ok(`${ctrl0} config add-relay -n my_relay -r relay/relay.ticket`);
    const relays = await ok(`${ctrl0} info relays`);
    const relayKey = (await readFile(join(dir, 'relay/relay.ticket'), 'utf8')).match(/[A-Za-z0-9_-]{43}/)?.[0] as string;
    expect(relays.split('\n')[0]).toMatch(/^\| relay name +\| public key +\| address +\|$/);
    expect(relays).toContain(`| my_relay   | ${relayKey} | 127.0.0.1:${ports.relay}`);
    await ok(`${ctrl0} config add-index -n my_index -i index_client.ticket`);
    await poll('node0 to connect to its index server', async () => ((await ok(`${ctrl0} info index`)).includes('my_index (*)') ? true : undefined));

    // Adding an extra node
    await mkdir(join(dir, 'node1'));
    await mkdir(join(dir, 'node1/trusted'));
    await mkdir(join(dir, 'app1'));
    await ok('stmgr gen-ident --output node1/node1.ident');
    await ok('stmgr gen-ident --output app1/app1.ident');
    await ok('stmgr init-node-db --idfile node1/node1.ident --output node1/node1.db');
    await ok(`stmgr node-ticket --address 127.0.0.1:${ports.node1} --idfile node1/node1.ident --output node1/node1.ticket`);
    await ok('stmgr app-ticket --idfile app1/app1.ident --pconfig --pfunds --proutes --output node1/trusted/app1.ticket');
    running.push(await background(
      `stnode --database node1/node1.db --idfile node1/node1.ident --laddr 127.0.0.1:${ports.node1} --trusted node1/trusted`, dir, /listening/));
    await ok(`${ctrl1} config add-relay -n my_relay -r relay/relay.ticket`);
    await ok(`${ctrl1} config add-index -n my_index -i index_client.ticket`);

    // Configuring mutual credit
    expect(await ok(`${ctrl0} info friends`)).toBe('No configured friends.\n');
    expect(await ok(`${ctrl1} info friends`)).toBe('No configured friends.\n');
    await ok(`${ctrl0} info export-ticket -o app0/node0.friend`);
    await ok(`${ctrl1} info export-ticket -o app1/node1.friend`);
    await ok(`${ctrl0} config add-friend -n node1 -f app1/node1.friend --balance=100`);
    await ok(`${ctrl1} config add-friend -n node0 -f app0/node0.friend --balance=-100`);
    expect(await ok(`${ctrl0} info friends`)).toBe(table('D-', 'node1', '-', '-', 100, 0, 0));

    // Enabling friends communication
    await ok(`${ctrl0} config enable-friend -n node1`);
    await ok(`${ctrl1} config enable-friend -n node0`);
    await friendsEventually(ctrl0, table('E+', 'node1', '-', '-', 100, 0, 0));

    // Setting credit limit
    await ok(`${ctrl1} config set-friend-max-debt -n node0 -m 150`);
    await ok(`${ctrl0} config set-friend-max-debt -n node1 -m 200`);
    await friendsEventually(ctrl0, table('E+', 'node1', '-', '-', 100, 150, 200));

    // Opening requests
    await ok(`${ctrl0} config open-friend -n node1`);
    await ok(`${ctrl1} config open-friend -n node0`);
    await friendsEventually(ctrl0, table('E+', 'node1', '+', '+', 100, 150, 200));

    // Sending funds: send-funds
    expect(await ok(`${ctrl0} info balance`)).toBe('FST: 100\n');
    const key1 = (await ok(`${ctrl1} info public-key`)).trim();
    expect(key1).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The index server learns the new capacities within about a second: a refused attempt
    // ("no route") moves nothing, so the command is repeated until a route exists.
    const sent = await poll('a route from node0 to node1', async () => {
      const r = await sh(`${ctrl0} funds send-funds --amount 50 --dest ${key1}`, dir);
      if (r.code === 0) return r.stdout;
      if (!/route/.test(r.stderr)) throw new Error(r.stderr);
      return undefined;
    }, 45_000, 500);
    expect(sent).toBe('Payment successful!\nFees: 0\n');
    expect(await ok(`${ctrl0} info balance`)).toBe('FST: 50\n');
    await poll('node1 to see the payment', async () => ((await ok(`${ctrl1} info balance`)) === 'FST: -50\n' ? true : undefined));

    // pay-invoice: (1) node0 prepares an invoice
    const key0 = (await ok(`${ctrl0} info public-key`)).trim();
    await ok(`stregister gen-invoice -a 60 -p ${key0} -o bananas.invoice`);
    // (2) node1 pays the invoice
    const paid = await poll('a route from node1 to node0', async () => {
      const r = await sh(`${ctrl1} funds pay-invoice -i bananas.invoice -r bananas.receipt`, dir);
      if (r.code === 0) return r.stdout;
      if (!/route/.test(r.stderr)) throw new Error(r.stderr);
      return undefined;
    }, 45_000, 500);
    expect(paid).toBe('Payment successful!\nFees: 0\n');
    // (3) node0 verifies the receipt
    expect(await ok('stregister verify-receipt -i bananas.invoice -r bananas.receipt')).toBe('Receipt is valid!\n');
    expect(await ok(`${ctrl1} info balance`)).toBe('FST: -110\n');
    await poll('node0 to see the payment', async () => ((await ok(`${ctrl0} info balance`)) === 'FST: 110\n' ? true : undefined));
    await friendsEventually(ctrl0, table('E+', 'node1', '+', '+', 110, 150, 200));

    // Beyond the tutorial: a clean stop (SIGTERM) and a restart resume the friendship as it was
    const node0 = running.find((b) => b.output().includes(`127.0.0.1:${ports.node0}`)) as Background;
    expect(await node0.stop('SIGTERM')).toBe(0);
    expect(node0.output()).toMatch(/stnode: stopped \(SIGTERM\)/);
    running.splice(running.indexOf(node0), 1);
    running.push(await background(
      `stnode --database node0/node0.db --idfile node0/node0.ident --laddr 127.0.0.1:${ports.node0} --trusted node0/trusted`, dir, /listening/));
    expect(await ok(`${ctrl0} info balance`)).toBe('FST: 110\n');
    await friendsEventually(ctrl0, table('E+', 'node1', '+', '+', 110, 150, 200));
  }, 300_000);
});
