import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toBase64Url } from '../src-core/codec/index.ts';
import { nodeBackend } from '../src-core/crypto/backend.node.ts';
import { parseIdent } from '../src-core/files/index.ts';
import { background, freePort, runBin } from '../src-core/node/it/procs.ts';
import { CARDS_DIR } from './card-engines.node.ts';
import type { RunningHost } from './host.node.ts';
import { openTestHost } from './test-host.node.ts';

const dirs: string[] = [];
const hosts: RunningHost[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function sh(cwd: string, program: string, ...args: string[]): Promise<string> {
  const r = await runBin(program, args, cwd);
  if (r.code !== 0) throw new Error(`${program} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** A node set up and configured with the real command line tools (a relay added through stctrl),
 *  then stopped: what a person moves into the wallet. */
async function commandLineNode() {
  const dir = mkdtempSync(join(tmpdir(), 'offset-node-import-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'trusted'));
  await sh(dir, 'stmgr', 'gen-ident', '--output', 'node.ident');
  await sh(dir, 'stmgr', 'gen-ident', '--output', 'app.ident');
  await sh(dir, 'stmgr', 'gen-ident', '--output', 'relay.ident');
  await sh(dir, 'stmgr', 'gen-ident', '--output', 'other.ident');
  await sh(dir, 'stmgr', 'init-node-db', '--idfile', 'node.ident', '--output', 'node.db');
  await sh(dir, 'stmgr', 'init-node-db', '--idfile', 'other.ident', '--output', 'other.db');
  await sh(dir, 'stmgr', 'app-ticket', '--idfile', 'app.ident', '--pconfig', '--output', 'trusted/app.ticket');
  const address = `127.0.0.1:${await freePort()}`;
  await sh(dir, 'stmgr', 'node-ticket', '--idfile', 'node.ident', '--address', address, '--output', 'node.ticket');
  await sh(dir, 'stmgr', 'relay-ticket', '--idfile', 'relay.ident', '--address', '127.0.0.1:9', '--output', 'relay.ticket');
  const stnode = await background(`stnode --database node.db --idfile node.ident --laddr ${address} --trusted trusted`, dir, /listening/);
  try {
    await sh(dir, 'stctrl', '-I', 'app.ident', '-T', 'node.ticket', 'config', 'add-relay', '-n', 'kept relay', '-r', 'relay.ticket');
  } finally {
    await stnode.stop('SIGTERM'); // a clean stop: the database holds everything
  }
  const ident = readFileSync(join(dir, 'node.ident'), 'utf8');
  const parsed = parseIdent(ident, nodeBackend);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return {
    ident, publicKey: toBase64Url(parsed.value.publicKey),
    database: toBase64Url(readFileSync(join(dir, 'node.db'))), otherDatabase: toBase64Url(readFileSync(join(dir, 'other.db'))),
  };
}

const openHost = () => openTestHost({ dirs, hosts }, { tmpPrefix: 'offset-node-import-w-' });

describe('moving a command line node into the wallet (cards.importNode)', () => {
  it('becomes a local card with its key and its configuration; refusals change nothing', async () => {
    const node = await commandLineNode();
    const w = await openHost();
    expect(await w.call('cards.importNode', { name: 'Node', ident: node.ident, database: node.database })).toMatchObject({ ok: false, error: { code: 'locked' } });
    await w.call('wallet.create', { password: 'node import password' });
    const vaultBefore = readFileSync(join(w.dir, 'wallet.json'), 'utf8');
    for (const [ident, database] of [
      ['not an identity', node.database],
      ['{"kind":"ident","privateKey":"AAAA"}', node.database],
      [node.ident, node.otherDatabase], // another node's database
      [node.ident, toBase64Url(new TextEncoder().encode('not SQLite at all'))],
      [node.ident, ''],
    ] as const) {
      const r = await w.call('cards.importNode', { name: 'Node', ident, database });
      expect(r, ident.slice(0, 20)).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringMatching(/Nothing was imported/) } });
    }
    expect(await w.call('cards.importNode', { name: ' ', ident: node.ident, database: node.database })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(readFileSync(join(w.dir, 'wallet.json'), 'utf8')).toBe(vaultBefore);
    expect(existsSync(join(w.dir, CARDS_DIR)) ? readdirSync(join(w.dir, CARDS_DIR)) : []).toEqual([]);

    const moved = await w.call('cards.importNode', { name: 'Node', ident: node.ident, database: node.database });
    expect(moved).toMatchObject({ ok: true, value: { card: { name: 'Node', kind: 'local', publicKey: node.publicKey, online: true, backedUpAt: null } } });
    const cardId = moved.value.card.id as string;
    const from = w.messages.length;
    expect(await w.call('app.connect', { cardId })).toMatchObject({ ok: true });
    const report = await w.waitFor(cardId, (m) => m.kind === 'report', from);
    expect(report.kind === 'report' && report.report.relays.map((r) => r.name)).toEqual(['kept relay']);
    // the identity is sealed in the vault like any card's
    expect(readFileSync(join(w.dir, 'wallet.json'), 'utf8')).not.toContain(JSON.parse(node.ident).privateKey);
    const again = await w.call('cards.importNode', { name: 'Twice', ident: node.ident, database: node.database });
    expect(again).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringMatching(/already in the wallet/) } });
    expect(readdirSync(join(w.dir, CARDS_DIR))).toEqual([cardId]);
    expect(w.internal).toEqual([]);
  }, 90_000);
});
