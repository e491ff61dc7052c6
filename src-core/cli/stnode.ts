/** stnode: the headless node (seeds/000_* "stnode --database node0/node0.db --idfile
 *  node0/node0.ident --laddr … --trusted node0/trusted"). Apps whose ticket is in --trusted
 *  connect on --laddr. Runs until SIGINT or SIGTERM, then checkpoints, closes and exits 0. */
import { stat } from 'node:fs/promises';
import { nodeBackend } from '../crypto/backend.node.ts';
import { parseIdent } from '../files/index.ts';
import { systemClock } from '../net/index.ts';
import { parseHostPort } from '../net/tcp.node.ts';
import { NodeLoadError, startNode } from '../node/index.ts';
import { type NodeStore, isStoreError, openNodeStore } from '../store/index.node.ts';
import { type CommandSpec, CliError, UsageError } from './args.ts';
import { loadFile } from './file-io.ts';
import { type Io, processIo, runProgram, untilStopSignal } from './program.ts';

const SPEC: CommandSpec = {
  name: 'stnode',
  help: 'Offset node: keeps mutual credit with friends and serves apps (stctrl)',
  options: [
    { long: 'database', value: 'FILE', required: true, help: "the node's database (stmgr init-node-db)" },
    { long: 'idfile', value: 'FILE', required: true, help: "the node's identity file (.ident)" },
    { long: 'laddr', value: 'HOST:PORT', required: true, help: 'address apps connect to (as in the node ticket)' },
    { long: 'trusted', value: 'DIR', required: true, help: 'directory of app tickets (stmgr app-ticket) allowed to connect' },
    { long: 'verbose', flag: true, help: 'log connections and refusals to stderr' },
  ],
};

/** `until` resolves when the node should stop (tests pass their own; the CLI waits for a signal). */
export async function main(argv: string[], io: Io = processIo, until?: Promise<unknown>): Promise<number> {
  return runProgram('stnode', SPEC, argv, async (p, out) => {
    const laddr = p.values.get('laddr') as string;
    try { parseHostPort(laddr); } catch (e) { throw new UsageError(`--laddr: ${(e as Error).message}`); }
    const trustedDir = p.values.get('trusted') as string;
    const isDir = await stat(trustedDir).then((st) => st.isDirectory(), () => false);
    if (!isDir) throw new CliError(`--trusted: ${trustedDir} is not a directory (create it and put app tickets in it)`);
    const database = p.values.get('database') as string;
    const ident = await loadFile(p.values.get('idfile') as string, 'ident', (t) => parseIdent(t, nodeBackend));
    const verbose = p.flags.has('verbose');
    let store: NodeStore;
    try {
      store = await openNodeStore(database, { publicKey: ident.publicKey, clock: systemClock });
    } catch (e) {
      if (isStoreError(e)) throw new CliError(`cannot open the database: ${e.message}`);
      throw e;
    }
    let fatal!: (e: Error) => void;
    const failed = new Promise<Error>((r) => { fatal = r; });
    let node;
    try {
      node = await startNode({
        identitySeed: ident.privateKey, store, crypto: nodeBackend, clock: systemClock,
        random: (n) => nodeBackend.randomBytes(n), listenAddress: laddr, trustedDir,
        log: (line) => { if (verbose) out.err(`stnode: ${line}`); },
        onFatal: fatal,
      });
    } catch (e) {
      await store.close().catch(() => {});
      if (e instanceof NodeLoadError) throw new CliError(`cannot start: ${e.message}`);
      throw e;
    }
    out.out(`stnode: listening for apps on ${node.appAddress ?? laddr}`);
    const stop = until ?? untilStopSignal();
    const why = await Promise.race([stop, failed]);
    if (why instanceof Error) {
      out.err(`stnode: stopped: ${why.message}`);
      return 1;
    }
    await node.close();
    out.out(`stnode: stopped${typeof why === 'string' ? ` (${why})` : ''}`);
    return 0;
  }, io);
}
