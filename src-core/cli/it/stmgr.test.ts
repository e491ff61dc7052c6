/** stmgr as a user runs it: every command of the tutorials (seeds/000_*, seeds/001_*), with real
 *  addresses where the tutorial leaves --address empty, and the failures a user can cause. */
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBackend } from '../../crypto/backend.node.ts';
import {
  parseAppTicket, parseIdent, parseIndexTicket, parseNodeTicket, parseRcard, parseRelayTicket,
} from '../../files/index.ts';
import { openNodeStore } from '../../store/index.node.ts';
import { isOneLineFailure, runBin } from './spawn.ts';

let dir: string;
const stmgr = (...args: string[]) => runBin('stmgr', args, dir);
const text = (p: string) => readFile(join(dir, p), 'utf8');
const ident = async (p: string) => {
  const r = parseIdent(await text(p), nodeBackend);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'offset-stmgr-'));
  for (const d of ['node0/trusted', 'app0', 'relay', 'index/trusted', 'node/trusted', 'app']) await mkdir(join(dir, d), { recursive: true });
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('stmgr, the tutorial commands', () => {
  it('creates identities, the node database and the node and app tickets', async () => {
    const gen = await Promise.all([
      stmgr('gen-ident', '--output', 'node0/node0.ident'),
      stmgr('gen-ident', '--output', 'app0/app0.ident'),
      stmgr('gen-ident', '--output', 'relay/relay.ident'),
      stmgr('gen-ident', '--output', 'index/index.ident'),
    ]);
    expect(gen.map((r) => [r.code, r.stderr])).toEqual(Array(4).fill([0, '']));
    const node0 = await ident('node0/node0.ident');
    const app0 = await ident('app0/app0.ident');
    expect(node0.publicKey).not.toEqual(app0.publicKey);
    if (process.platform !== 'win32') expect((await stat(join(dir, 'node0/node0.ident'))).mode & 0o777).toBe(0o600);

    const steps = await Promise.all([
      stmgr('init-node-db', '--idfile', 'node0/node0.ident', '--output', 'node0/node0.db'),
      stmgr('node-ticket', '--address', '127.0.0.1:9500', '--idfile', 'node0/node0.ident', '--output', 'node0/node0.ticket'),
      stmgr('app-ticket', '--idfile', 'app0/app0.ident', '--pconfig', '--pfunds', '--proutes', '--output', 'node0/trusted/app0.ticket'),
      stmgr('relay-ticket', '--address', '127.0.0.1:9000', '--idfile', 'relay/relay.ident', '--output', 'relay/relay.ticket'),
      stmgr('index-ticket', '--idfile', 'index/index.ident', '--address', '127.0.0.1:9001', '--output', 'index_server.ticket'),
      stmgr('index-ticket', '--idfile', 'index/index.ident', '--address', '127.0.0.1:9002', '--output', 'index_client.ticket'),
    ]);
    expect(steps.map((r) => [r.code, r.stdout, r.stderr])).toEqual(Array(6).fill([0, '', '']));

    expect(parseNodeTicket(await text('node0/node0.ticket'))).toEqual({ ok: true, value: { publicKey: node0.publicKey, address: '127.0.0.1:9500' } });
    expect(parseAppTicket(await text('node0/trusted/app0.ticket'))).toEqual({
      ok: true, value: { publicKey: app0.publicKey, permissions: { buyer: true, seller: false, config: true, routes: true } },
    });
    const relay = await ident('relay/relay.ident');
    expect(parseRelayTicket(await text('relay/relay.ticket'))).toEqual({ ok: true, value: { publicKey: relay.publicKey, address: '127.0.0.1:9000' } });
    const index = await ident('index/index.ident');
    expect(parseIndexTicket(await text('index_server.ticket'))).toMatchObject({ ok: true, value: { publicKey: index.publicKey, address: '127.0.0.1:9001' } });
    expect(parseIndexTicket(await text('index_client.ticket'))).toMatchObject({ ok: true, value: { address: '127.0.0.1:9002' } });

    // the database is bound to node0's identity
    const store = await openNodeStore(join(dir, 'node0/node0.db'), { publicKey: node0.publicKey });
    await store.close();
  });

  it('runs the advanced tutorial: all permissions and a remote card', async () => {
    const gen = await Promise.all([stmgr('gen-ident', '--output', 'node/node.ident'), stmgr('gen-ident', '--output', 'app/app.ident')]);
    expect(gen.map((r) => r.code)).toEqual([0, 0]);
    const steps = await Promise.all([
      stmgr('app-ticket', '--idfile', 'app/app.ident', '--pbuyer', '--pconfig', '--proutes', '--pseller', '--output', 'app/app.ticket'),
      stmgr('node-entry', '--address', 'www.mynode.com:9876', '--appid', 'app/app.ident', '--nodeid', 'node/node.ident', '--output', 'node/node.rcard'),
      stmgr('relay-ticket', '--address', 'www.myrelay.com:4567', '--idfile', 'node/node.ident', '--output', 'relay/relay.relay'),
      // the original's short flags
      stmgr('index-ticket', '-a', 'www.myindex.com:3456', '-i', 'node/node.ident', '-o', 'index/index_client.index'),
    ]);
    expect(steps.map((r) => [r.code, r.stderr])).toEqual(Array(4).fill([0, '']));
    const app = await ident('app/app.ident');
    const node = await ident('node/node.ident');
    expect(parseAppTicket(await text('app/app.ticket'))).toMatchObject({ ok: true, value: { permissions: { buyer: true, seller: true, config: true, routes: true } } });
    expect(parseRcard(await text('node/node.rcard'), nodeBackend)).toEqual({
      ok: true,
      value: { name: 'node', nodePublicKey: node.publicKey, address: 'www.mynode.com:9876', appPrivateKey: app.privateKey, appPublicKey: app.publicKey },
    });
    if (process.platform !== 'win32') expect((await stat(join(dir, 'node/node.rcard'))).mode & 0o777).toBe(0o600);
    expect(parseRelayTicket(await text('relay/relay.relay')).ok).toBe(true);
    expect(parseIndexTicket(await text('index/index_client.index')).ok).toBe(true);
  });

  it('prints its version and help', async () => {
    const [v, h] = await Promise.all([stmgr('-V'), stmgr('app-ticket', '--help')]);
    expect(v).toMatchObject({ code: 0, stdout: expect.stringMatching(/^stmgr \d+\.\d+\.\d+\n$/) as unknown });
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/--pbuyer/);
  });
});

describe('stmgr, what a user can get wrong', () => {
  it('refuses to replace an existing file unless --force is given', async () => {
    await writeFile(join(dir, 'precious.ident'), 'keep me');
    const r = await stmgr('gen-ident', '--output', 'precious.ident');
    expect(isOneLineFailure(r)).toBe(true);
    expect(r.stderr).toMatch(/already exists \(use --force to replace it\)/);
    expect(await text('precious.ident')).toBe('keep me');
    const forced = await stmgr('gen-ident', '--output', 'precious.ident', '--force');
    expect(forced.code).toBe(0);
    expect((await ident('precious.ident')).privateKey).toHaveLength(32);
  });

  it('never replaces a node database, even with --force', async () => {
    const before = await readFile(join(dir, 'node0/node0.db'));
    const [r, forced] = await Promise.all([
      stmgr('init-node-db', '--idfile', 'app0/app0.ident', '--output', 'node0/node0.db'),
      stmgr('init-node-db', '--idfile', 'app0/app0.ident', '--output', 'node0/node0.db', '--force'),
    ]);
    expect(isOneLineFailure(r)).toBe(true);
    expect(r.stderr).toMatch(/never replaces a database/);
    expect(forced.code).not.toBe(0);
    expect((await readFile(join(dir, 'node0/node0.db'))).equals(before)).toBe(true);
  });

  it.concurrent.for<readonly [string, string[], RegExp]>([
    ['an address without a value (as the tutorial prints it)', ['node-ticket', '--address', '--idfile', 'node0/node0.ident', '--output', 'bad1.ticket'], /--address needs a value/],
    ['an address without a port', ['node-ticket', '--address', '127.0.0.1', '--idfile', 'node0/node0.ident', '--output', 'bad2.ticket'], /host:port/],
    ['port 0', ['relay-ticket', '--address', '127.0.0.1:0', '--idfile', 'node0/node0.ident', '--output', 'bad3.ticket'], /1\.\.65535/],
    ['a missing --output', ['gen-ident'], /missing required option --output/],
    ['an unknown flag', ['app-ticket', '--idfile', 'app0/app0.ident', '--padmin', '--output', 'bad4.ticket'], /unknown option --padmin/],
    ['an unknown command', ['gen-key', '--output', 'bad5.ident'], /unknown command/],
    ['a missing identity file', ['node-ticket', '--address', '127.0.0.1:1', '--idfile', 'nope.ident', '--output', 'bad6.ticket'], /nope\.ident: no such file/],
    ['a missing directory', ['gen-ident', '--output', 'nodir/x.ident'], /no such directory/],
    ['a database in a missing directory', ['init-node-db', '--idfile', 'node0/node0.ident', '--output', 'nodir/x.db'], /^stmgr: nodir: no such directory\n$/],
    ['an empty output name', ['gen-ident', '--output', ''], /output file name is empty/],
  ])('fails in one line, writing nothing, on %s', async ([, args, message], { expect }) => {
    const r = await stmgr(...args);
    expect(isOneLineFailure(r)).toBe(true);
    expect(r.stderr).toMatch(message);
    const output = args[args.indexOf('--output') + 1];
    if (args.includes('--output') && output !== undefined && output !== '') {
      expect(await stat(join(dir, output)).then(() => 'exists', () => 'absent')).toBe('absent');
    }
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('stmgr, damaged input files', () => {
  it('names the file and the field of a damaged identity file and writes nothing', async () => {
    const good = JSON.parse(await text('app0/app0.ident')) as Record<string, string>;
    await writeFile(join(dir, 'damaged.ident'), JSON.stringify({ ...good, publicKey: good.privateKey }));
    await writeFile(join(dir, 'garbage.ident'), 'not an identity');
    const [damaged, garbage] = await Promise.all([
      stmgr('app-ticket', '--idfile', 'damaged.ident', '--pbuyer', '--output', 'node0/trusted/x.ticket'),
      stmgr('node-entry', '--address', 'h:1', '--appid', 'garbage.ident', '--nodeid', 'node0/node0.ident', '--output', 'x.rcard'),
    ]);
    expect(isOneLineFailure(damaged)).toBe(true);
    expect(damaged.stderr).toBe('stmgr: damaged.ident: identity file: field publicKey: does not belong to the private key (the file is damaged)\n');
    expect(isOneLineFailure(garbage)).toBe(true);
    expect(garbage.stderr).toMatch(/^stmgr: garbage\.ident: identity file: /);
    expect(await readdir(join(dir, 'node0/trusted'))).toEqual(['app0.ticket']);
    expect((await readdir(dir)).includes('x.rcard')).toBe(false);
  });
});
