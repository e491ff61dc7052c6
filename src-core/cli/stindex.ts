/** stindex: the index server (seeds/000_* "stindex --idfile index/index.ident --lclient … --lserver …
 *  --trusted index/trusted"). Nodes connect on --lclient; federated index servers on --lserver. It
 *  federates with every server whose ticket is in --trusted and that trusts it back.
 *  Runs until SIGINT or SIGTERM, then closes every connection and exits 0. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { nodeBackend } from '../crypto/backend.node.ts';
import { bytesEqual, identityFromSeed } from '../crypto/index.ts';
import { parseIdent, parseIndexTicket } from '../files/index.ts';
import { type TrustedServer } from '../index/index.ts';
import { listenIndexServer } from '../index/server.node.ts';
import { parseHostPort } from '../net/tcp.node.ts';
import { type CommandSpec, CliError, type Parsed, UsageError } from './args.ts';
import { loadFile } from './file-io.ts';
import { type Io, processIo, runProgram, untilStopSignal } from './program.ts';

const SPEC: CommandSpec = {
  name: 'stindex',
  help: 'Offset index server: keeps the capacity graph and finds routes; federates with trusted index servers',
  options: [
    { long: 'idfile', value: 'FILE', required: true, help: "the index server's identity file (.ident)" },
    { long: 'lclient', value: 'HOST:PORT', required: true, help: 'address nodes connect to' },
    { long: 'lserver', value: 'HOST:PORT', required: true, help: 'address federated index servers connect to' },
    { long: 'trusted', value: 'DIR', help: 'directory of index tickets (stmgr index-ticket) of trusted index servers' },
    { long: 'ttl', value: 'SECONDS', help: 'forget a node that has not refreshed its report for this long (default 180)' },
    { long: 'verbose', flag: true, help: 'log federation and connection events to stderr' },
  ],
};

function address(p: Parsed, name: string): string {
  const v = p.values.get(name) as string;
  try { parseHostPort(v); } catch (e) { throw new UsageError(`--${name}: ${(e as Error).message}`); }
  return v;
}

/** Every file in `dir` (hidden ones skipped) must be an index ticket. */
async function readTrusted(dir: string, own: Uint8Array): Promise<TrustedServer[]> {
  let names: string[];
  try { names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort(); } catch (e) {
    throw new CliError(`--trusted: cannot read directory ${dir}: ${(e as Error).message}`);
  }
  const out: TrustedServer[] = [];
  for (const name of names) {
    const path = join(dir, name);
    if (!(await stat(path)).isFile()) continue;
    const t = await loadFile(path, 'index-ticket', parseIndexTicket);
    if (bytesEqual(t.publicKey, own)) continue; // our own ticket in the directory is harmless
    if (out.some((o) => bytesEqual(o.publicKey, t.publicKey))) throw new CliError(`${path}: a second ticket for the same index server`);
    out.push({ publicKey: t.publicKey, address: t.address });
  }
  return out;
}

/** `until` resolves when the server should stop (tests pass their own; the CLI waits for a signal). */
export async function main(argv: string[], io: Io = processIo, until?: Promise<unknown>): Promise<number> {
  return runProgram('stindex', SPEC, argv, async (p, out) => {
    const lclient = address(p, 'lclient');
    const lserver = address(p, 'lserver');
    const ttlText = p.values.get('ttl');
    if (ttlText !== undefined && !/^[1-9][0-9]{0,6}$/.test(ttlText)) throw new UsageError(`--ttl must be a positive number of seconds, got "${ttlText}"`);
    const ident = await loadFile(p.values.get('idfile') as string, 'ident', (t) => parseIdent(t, nodeBackend));
    const trustedDir = p.values.get('trusted');
    const trusted = trustedDir === undefined ? [] : await readTrusted(trustedDir, ident.publicKey);
    const verbose = p.flags.has('verbose');
    const running = await listenIndexServer({
      identity: identityFromSeed(nodeBackend, ident.privateKey), crypto: nodeBackend, trusted,
      clientAddress: lclient, serverAddress: lserver,
      ...(ttlText === undefined ? {} : { ttlMs: Number(ttlText) * 1000 }),
      log: (line) => { if (verbose) out.err(`stindex: ${line}`); },
    });
    out.out(`stindex: listening for nodes on ${running.clientAddress}, for index servers on ${running.serverAddress}, trusting ${trusted.length} index server(s)`);
    const stop = until ?? untilStopSignal();
    const why = await stop;
    await running.close();
    out.out(`stindex: stopped${typeof why === 'string' ? ` (${why})` : ''}`);
    return 0;
  }, io);
}
