/** A real `strelay` and `stindex` for e2e tests, each with its own identity and the ticket a
 *  card adds it from, run from `dir` (the index server's trusted folder is `dir/trusted`). */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { background, freePort, runBin } from '../src-core/node/it/procs.ts';

export interface TicketedServers {
  readonly relayTicket: string;
  readonly indexTicket: string;
  stop(): Promise<void>;
}

export async function startTicketedServers(dir: string): Promise<TicketedServers> {
  const ok = async (args: readonly string[]): Promise<void> => {
    const r = await runBin('stmgr', args, dir);
    if (r.code !== 0) throw new Error(`stmgr ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  };
  mkdirSync(join(dir, 'trusted'), { recursive: true });
  const [relayPort, clientPort, serverPort] = [await freePort(), await freePort(), await freePort()];
  await Promise.all([ok(['gen-ident', '--output', 'relay.ident']), ok(['gen-ident', '--output', 'index.ident'])]);
  await ok(['relay-ticket', '--address', `127.0.0.1:${relayPort}`, '--idfile', 'relay.ident', '--output', 'relay.ticket']);
  await ok(['index-ticket', '--address', `127.0.0.1:${clientPort}`, '--idfile', 'index.ident', '--output', 'index.ticket']);
  const procs = await Promise.all([
    background(`strelay --idfile relay.ident --laddr 127.0.0.1:${relayPort}`, dir, /listening/),
    background(`stindex --idfile index.ident --lclient 127.0.0.1:${clientPort} --lserver 127.0.0.1:${serverPort} --trusted trusted`, dir, /listening/),
  ]);
  return {
    relayTicket: readFileSync(join(dir, 'relay.ticket'), 'utf8'),
    indexTicket: readFileSync(join(dir, 'index.ticket'), 'utf8'),
    async stop() {
      for (const p of procs) await p.stop();
    },
  };
}
