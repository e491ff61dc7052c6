import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runBin } from '../src-core/node/it/procs.ts';
import { openWalletHost, type RunningHost } from './host.node.ts';

const dirs: string[] = [];
const hosts: RunningHost[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('command line access trusting a given app ticket (cli.tickets.trust)', () => {
  it('lets an app with its own identity in with its ticket\'s permissions, until revoked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'offset-trust-ticket-'));
    dirs.push(dir);
    const sh = async (program: string, ...args: string[]) => runBin(program, args, dir);
    for (const args of [
      ['gen-ident', '--output', 'app.ident'], ['gen-ident', '--output', 'relay.ident'],
      ['app-ticket', '--idfile', 'app.ident', '--proutes', '--output', 'app.ticket'],
      ['relay-ticket', '--idfile', 'relay.ident', '--address', '127.0.0.1:9', '--output', 'relay.ticket'],
    ]) expect((await sh('stmgr', ...args)).code).toBe(0);
    const h = await openWalletHost(join(dir, 'data'), (e) => { throw e; }, { cost: { logN: 4, r: 8, p: 1 } });
    hosts.push(h);
    let id = 0;
    const call = async (name: string, args: unknown = {}): Promise<any> => JSON.parse(await h.dispatcher.handle(JSON.stringify({ id: ++id, name, args })));
    await call('wallet.create', { password: 'trust ticket password' });
    const cardId = (await call('cards.create', { name: 'Shop' })).value.card.id as string;
    const access = (await call('cli.enable', { cardId, address: '127.0.0.1:0' })).value as { nodeTicket: string };
    const ticket = readFileSync(join(dir, 'app.ticket'), 'utf8');
    const stctrl = (...args: string[]) => sh('stctrl', '-I', 'app.ident', '-T', access.nodeTicket, ...args);
    expect((await stctrl('info', 'friends')).code).not.toBe(0); // not trusted yet

    for (const [name, text] of [['Phone', 'not a ticket'], ['Phone', readFileSync(join(dir, 'relay.ticket'), 'utf8')], ['  ', ticket]]) {
      expect(await call('cli.tickets.trust', { cardId, name, ticket: text })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    }
    expect((await call('cli.tickets.list', { cardId })).value.tickets).toEqual([]);
    const trusted = await call('cli.tickets.trust', { cardId, name: 'Phone', ticket });
    expect(trusted).toMatchObject({ ok: true, value: { ticket: { name: 'Phone', permissions: { routes: true, buyer: false, seller: false, config: false } } } });
    expect(await call('cli.tickets.trust', { cardId, name: 'Again', ticket })).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringMatching(/already/) } });
    expect((await call('cli.tickets.list', { cardId })).value.tickets).toEqual([trusted.value.ticket]);

    const friends = await stctrl('info', 'friends');
    expect(friends.code, friends.stderr).toBe(0);
    // the ticket's permissions hold: no config
    const config = await stctrl('config', 'add-relay', '-n', 'r', '-r', 'relay.ticket');
    expect(config.code).not.toBe(0);
    expect(config.stderr).toMatch(/permission|not allowed|config/i);

    expect(await call('cli.tickets.revoke', { cardId, ticketId: trusted.value.ticket.id })).toMatchObject({ ok: true });
    expect((await stctrl('info', 'friends')).code).not.toBe(0);
  }, 90_000);
});
