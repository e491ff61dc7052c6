/** strelay: the relay server (seeds/000_* "strelay --idfile relay/relay.ident --laddr …").
 *  Runs until SIGINT or SIGTERM, then closes every connection and exits 0. */
import { nodeBackend } from '../crypto/backend.node.ts';
import { identityFromSeed } from '../crypto/index.ts';
import { parseIdent } from '../files/index.ts';
import { systemClock } from '../net/index.ts';
import { parseHostPort } from '../net/tcp.node.ts';
import { DEFAULT_RELAY_LIMITS, type RelayLimits } from '../relay/index.ts';
import { startRelayServer } from '../relay/server.node.ts';
import { type CommandSpec, type Parsed, UsageError } from './args.ts';
import { loadFile } from './file-io.ts';
import { type Io, processIo, runProgram, untilStopSignal } from './program.ts';

const SPEC: CommandSpec = {
  name: 'strelay',
  help: 'Offset relay server: a meeting point where nodes reach their friends',
  options: [
    { long: 'idfile', value: 'FILE', required: true, help: "the relay's identity file (.ident)" },
    { long: 'laddr', value: 'HOST:PORT', required: true, help: 'address to listen on, e.g. 127.0.0.1:9000' },
    { long: 'max-connections', value: 'N', help: `open connections overall (default ${DEFAULT_RELAY_LIMITS.maxConnections})` },
    { long: 'max-per-key', value: 'N', help: `connections per client key (default ${DEFAULT_RELAY_LIMITS.maxConnectionsPerKey})` },
    { long: 'verbose', flag: true, help: 'log handshake failures and refused connections to stderr' },
  ],
};

function positiveInt(p: Parsed, name: string): number | undefined {
  const v = p.values.get(name);
  if (v === undefined) return undefined;
  if (!/^[1-9][0-9]{0,8}$/.test(v)) throw new UsageError(`--${name} must be a positive integer, got "${v}"`);
  return Number(v);
}

/** `until` resolves when the relay should stop (tests pass their own; the CLI waits for a signal). */
export async function main(argv: string[], io: Io = processIo, until?: Promise<unknown>): Promise<number> {
  return runProgram('strelay', SPEC, argv, async (p, out) => {
    const laddr = p.values.get('laddr') as string;
    try { parseHostPort(laddr); } catch (e) { throw new UsageError(`--laddr: ${(e as Error).message}`); }
    const limits: Partial<RelayLimits> = {};
    const maxConnections = positiveInt(p, 'max-connections');
    const maxPerKey = positiveInt(p, 'max-per-key');
    if (maxConnections !== undefined) (limits as { maxConnections: number }).maxConnections = maxConnections;
    if (maxPerKey !== undefined) (limits as { maxConnectionsPerKey: number }).maxConnectionsPerKey = maxPerKey;
    const ident = await loadFile(p.values.get('idfile') as string, 'ident', (t) => parseIdent(t, nodeBackend));
    const verbose = p.flags.has('verbose');
    const server = await startRelayServer({
      identity: identityFromSeed(nodeBackend, ident.privateKey), crypto: nodeBackend, clock: systemClock, laddr, limits,
      log: (line) => { if (verbose) out.err(line); },
    });
    out.out(`strelay: listening on ${server.address}`);
    const stop = until ?? untilStopSignal();
    const why = await stop;
    await server.close();
    out.out(`strelay: stopped${typeof why === 'string' ? ` (${why})` : ''}`);
    return 0;
  }, io);
}
