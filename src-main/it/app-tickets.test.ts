/** Scoped pairing through the bridge of a real wallet host with a real card node: a ticket
 *  issued without `config` lets the real stctrl read (`info`) but not configure; an app
 *  connected with it is cut off the moment the ticket is revoked, and stctrl is refused after. */
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runBin } from '../../src-core/cli/it/spawn.ts';
import { AppClient } from '../../src-core/app/index.ts';
import { nodeBackend as crypto } from '../../src-core/crypto/backend.node.ts';
import { identityFromSeed } from '../../src-core/crypto/index.ts';
import { parseRcard } from '../../src-core/files/index.ts';
import { secureChannel, systemClock } from '../../src-core/net/index.ts';
import { tcpConnect } from '../../src-core/net/tcp.node.ts';
import { openWalletHost } from '../host.node.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Answer = { ok: boolean; value?: any; error?: { code: string; message: string } };

/** The real stctrl, as a person would run it. */
const stctrl = (args: readonly string[]) => runBin('stctrl', args, process.cwd());

describe('app tickets issued from the wallet', () => {
  it('scope what stctrl may do, and a revoked one stops working at once', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'offset-tickets-'));
    cleanups.push(async () => rmSync(tmp, { recursive: true, force: true }));
    const h = await openWalletHost(join(tmp, 'data'), () => {}, { cost: { logN: 4, r: 8, p: 1 }, tickMs: 1000 });
    cleanups.push(() => h.close());
    const call = async (name: string, args: unknown = {}): Promise<Answer> => JSON.parse(await h.dispatcher.handle(JSON.stringify({ id: 1, name, args }))) as Answer;
    await call('wallet.create', { password: 'tickets password' });
    const card = (await call('cards.create', { name: 'Shop' })).value.card as { id: string };
    const readOnly = { buyer: false, seller: true, config: false, routes: false };

    // no listener yet: nothing to pair with
    expect(await call('cli.tickets.issue', { cardId: card.id, name: 'till', permissions: readOnly })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await call('cli.enable', { cardId: card.id, address: '127.0.0.1:0' })).toMatchObject({ ok: true });
    expect(await call('cli.tickets.issue', { cardId: card.id, name: '   ', permissions: readOnly })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(await call('cli.tickets.issue', { cardId: card.id, name: 'till', permissions: { ...readOnly, admin: true } })).toMatchObject({ ok: false, error: { code: 'bad-args' } });

    const issued = await call('cli.tickets.issue', { cardId: card.id, name: 'till', permissions: readOnly });
    expect(issued).toMatchObject({ ok: true, value: { ticket: { name: 'till', permissions: readOnly } } });
    const other = await call('cli.tickets.issue', { cardId: card.id, name: 'accountant', permissions: { buyer: false, seller: false, config: false, routes: false } });
    expect(other.ok).toBe(true);
    const listed = await call('cli.tickets.list', { cardId: card.id });
    expect(listed.value.tickets.map((t: { name: string }) => t.name)).toEqual(['till', 'accountant']);

    const ident = join(tmp, 'till.ident');
    const ticket = join(tmp, 'card.ticket');
    await writeFile(ident, issued.value.appIdent as string);
    await writeFile(ticket, issued.value.nodeTicket as string);
    const cli = ['-I', ident, '-T', ticket];
    const info = await stctrl([...cli, 'info', 'friends']);
    expect(info).toMatchObject({ code: 0, stdout: 'No configured friends.\n' });
    const config = await stctrl([...cli, 'config', 'remove-relay', '-n', 'r']);
    expect(config.code).toBe(1);
    expect(config.stderr).toMatch(/config permission/);

    // the same identity from the rcard: the node itself refuses config, allows a read
    const rc = parseRcard(issued.value.rcard as string, crypto);
    if (!rc.ok) throw new Error(rc.error.message);
    const ch = await secureChannel(await tcpConnect(rc.value.address), {
      identity: identityFromSeed(crypto, rc.value.appPrivateKey), crypto, clock: systemClock, expectedRemote: rc.value.nodePublicKey,
    });
    const app = await AppClient.connect(ch, { random: (n) => crypto.randomBytes(n) });
    cleanups.push(async () => app.close());
    expect(app.permissions).toEqual(readOnly);
    await expect(app.request({ kind: 'set-accept-auto-collect', accept: true })).rejects.toMatchObject({ code: 'permission-denied' });
    expect((await app.queryHistory({})).rows).toEqual([]);

    // revoke: the node closes the open connection before the answer (the app hears it next), and stctrl is refused
    expect(await call('cli.tickets.revoke', { cardId: card.id, ticketId: issued.value.ticket.id })).toMatchObject({ ok: true });
    expect(await app.closed).toMatchObject({ reason: 'closed' });
    const after = await stctrl([...cli, 'info', 'friends']);
    expect(after.code).toBe(1);
    expect((await call('cli.tickets.list', { cardId: card.id })).value.tickets.map((t: { name: string }) => t.name)).toEqual(['accountant']);
    expect(await call('cli.tickets.revoke', { cardId: card.id, ticketId: issued.value.ticket.id })).toMatchObject({ ok: false, error: { code: 'bad-input' } });
  }, 120_000);
});
