/** Local cards' node engines (issue 7 §1, §3, §6): each local card is a node (src-core/node)
 *  inside the host process, with its database at <dataDir>/cards/<cardId>/node.db. A card's node
 *  runs while the wallet is unlocked; the wallet's UI talks to it through one in-process app
 *  session with all permissions (its messages go out as `app.message` events), and command line
 *  access (`cli.enable`) starts the node's app listener with tickets written under cli/. */
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AppPermissions, type MessageTransport, appToNode, transportPair } from '../src-core/app/index.ts';
import { decodeExact } from '../src-core/codec/index.ts';
import type { CryptoBackend } from '../src-core/crypto/index.ts';
import { formatAppTicket, formatIdent, formatNodeTicket, identFromSeed, type FileKind } from '../src-core/files/index.ts';
import { writeFileAtomic } from '../src-core/files/fs.node.ts';
import type { Clock, FrameStream } from '../src-core/net/index.ts';
import { parseHostPort } from '../src-core/net/tcp.node.ts';
import { type RunningNode, startNode } from '../src-core/node/index.ts';
import { initNodeDatabase, isStoreError, openNodeStore } from '../src-core/store/index.node.ts';
import type { BridgeError, Result } from './bridge.ts';
import type { CardEngines } from './card-engines.ts';
import { type CardSummary, EMPTY_SUMMARY, cardSummary, sameSummary } from './card-balances.ts';
import type { EventHub } from './dispatcher.ts';
import { type TicketDeps, issueTicket, listTickets, revokeTicket, trustTicket } from './app-tickets.node.ts';

export type { CardEngines, CardEngineStatus } from './card-engines.ts';

/** The wallet's own UI may do everything its card's node allows. */
export const UI_PERMISSIONS: AppPermissions = Object.freeze({ buyer: true, seller: true, config: true, routes: true });
export const CARDS_DIR = 'cards';
export const NODE_DB_FILE = 'node.db';
export const CLI_DIR = 'cli';
export const CLI_FILES = { nodeTicket: 'node.ticket', appIdent: 'app.ident', appTicket: 'app.ticket', trusted: 'trusted', listen: 'listen' } as const;

export interface CardEnginesOptions {
  readonly dataDir: string;
  readonly events: EventHub;
  readonly crypto: CryptoBackend;
  readonly clock: Clock;
  readonly random: (n: number) => Uint8Array;
  readonly log?: (line: string) => void;
  /** Passed on to startNode (tests use short ticks; default the node's). */
  readonly tickMs?: number;
  readonly dial?: (address: string) => Promise<FrameStream>;
}

interface Running {
  readonly node: RunningNode;
  ui: MessageTransport | undefined;
  summary: CardSummary;
}

type Fail = { readonly ok: false; readonly error: BridgeError };
const fail = (code: BridgeError['code'], message: string): Fail => ({ ok: false, error: { code, message } });
const done = { ok: true, value: undefined } as const;
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function createCardEngines(opts: CardEnginesOptions): CardEngines {
  const log = opts.log ?? (() => {});
  const running = new Map<string, Running>();
  const listeners = new Set<(cardId: string) => void>();
  const notify = (cardId: string): void => {
    for (const l of [...listeners]) l(cardId);
  };

  const cardDir = (cardId: string): string => {
    if (!SAFE_ID.test(cardId)) throw new RangeError(`not a card id: ${JSON.stringify(cardId)}`);
    return join(opts.dataDir, CARDS_DIR, cardId);
  };

  const ticketDeps = (cardId: string): TicketDeps | undefined => {
    const r = running.get(cardId);
    if (r === undefined) return undefined;
    const cliDir = join(cardDir(cardId), CLI_DIR);
    return { cliDir, trustedDir: join(cliDir, CLI_FILES.trusted), node: r.node, crypto: opts.crypto, random: opts.random, now: () => opts.clock.now() };
  };

  // the host answers `locked` before asking; a card that is still not running failed to start
  const notRunning = (cardId: string): Fail => fail('unavailable', `The node of card ${JSON.stringify(cardId)} is not running (it did not start; the wallet's log says why).`);

  /** Publishes the card's summary (balances, channels to reset) when it changed. */
  const refresh = (cardId: string, r: Running): void => {
    const next = cardSummary(r.node.report());
    if (sameSummary(next, r.summary)) return;
    r.summary = next;
    notify(cardId);
  };

  async function attachUi(cardId: string, r: Running): Promise<void> {
    r.ui?.close();
    const [app, nodeEnd] = transportPair();
    r.ui = app;
    void (async () => {
      for (;;) {
        const message = await app.receive();
        if (message === undefined) break;
        try {
          opts.events.publish('app.message', { cardId, message });
        } catch (e) {
          log(`card ${cardId}: an app message was not published: ${errorText(e)}`);
        }
        refresh(cardId, r);
      }
    })();
    await r.node.attachApp(nodeEnd, UI_PERMISSIONS);
  }

  async function create(cardId: string, publicKey: Uint8Array): Promise<void> {
    const dir = cardDir(cardId);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await initNodeDatabase(join(dir, NODE_DB_FILE), publicKey, { random: opts.random });
  }

  async function stop(cardId: string): Promise<void> {
    const r = running.get(cardId);
    if (r === undefined) return;
    running.delete(cardId);
    r.ui?.close();
    await r.node.close();
    notify(cardId);
  }

  /** Command line access that was on stays on: the listener comes back on the address it had,
   *  so the tickets written then still work. A failure is logged; the card runs without it. */
  async function restoreCli(cardId: string, node: RunningNode): Promise<void> {
    const dir = join(cardDir(cardId), CLI_DIR);
    const address = await readFile(join(dir, CLI_FILES.listen), 'utf8').then((t) => t.trim(), () => undefined);
    if (address === undefined) return;
    try {
      await node.listen(address, join(dir, CLI_FILES.trusted));
    } catch (e) {
      log(`card ${cardId}: command line access not restored on ${address}: ${errorText(e)}`);
    }
  }

  async function writeCliFile(path: string, kind: FileKind, text: string): Promise<void> {
    const w = await writeFileAtomic(path, kind, text, { overwrite: true });
    if (!w.ok) throw new Error(w.error.message);
  }

  const engines: CardEngines = {
    create,
    async start(cardId, publicKey, seed) {
      if (running.has(cardId)) return;
      const dir = cardDir(cardId);
      const exists = await stat(dir).then(() => true, () => false);
      if (!exists) await create(cardId, publicKey);
      const store = await openNodeStore(join(dir, NODE_DB_FILE), { publicKey, clock: opts.clock });
      let node: RunningNode;
      try {
        node = await startNode({
          identitySeed: seed.slice(),
          store,
          crypto: opts.crypto,
          clock: opts.clock,
          random: opts.random,
          log: (line) => log(`card ${cardId}: ${line}`),
          onFatal: (e) => {
            log(`card ${cardId}: its node stopped: ${e.message}`);
            if (running.get(cardId)?.node === node) {
              running.delete(cardId);
              notify(cardId);
            }
          },
          ...(opts.tickMs === undefined ? {} : { tickMs: opts.tickMs }),
          ...(opts.dial === undefined ? {} : { dial: opts.dial }),
        });
      } catch (e) {
        await store.close().catch(() => undefined);
        throw e;
      }
      const r: Running = { node, ui: undefined, summary: cardSummary(node.report()) };
      running.set(cardId, r);
      await attachUi(cardId, r);
      await restoreCli(cardId, node);
      notify(cardId);
    },
    async stopAll() {
      const errors: unknown[] = [];
      for (const id of [...running.keys()]) await stop(id).catch((e: unknown) => errors.push(e));
      if (errors.length > 0) throw errors[0];
    },
    async destroy(cardId) {
      await stop(cardId);
      await rm(cardDir(cardId), { recursive: true, force: true });
    },
    status(cardId) {
      const r = running.get(cardId);
      return r === undefined ? { online: false, ...EMPTY_SUMMARY } : { online: true, ...r.summary };
    },
    async connectApp(cardId) {
      const r = running.get(cardId);
      if (r === undefined) return notRunning(cardId);
      await attachUi(cardId, r);
      return done;
    },
    async appRequest(cardId, message) {
      const r = running.get(cardId);
      if (r === undefined) return notRunning(cardId);
      const decoded = decodeExact(appToNode, message);
      if (!decoded.ok) return fail('bad-input', `Not an app-protocol request: ${decoded.error.message}`);
      if (r.ui === undefined) await attachUi(cardId, r);
      try {
        await (r.ui as MessageTransport).send(message);
      } catch {
        return fail('unavailable', 'The card\'s app session has closed; connect again (app.connect).');
      }
      return done;
    },
    async cliEnable(cardId, address) {
      const r = running.get(cardId);
      if (r === undefined) return notRunning(cardId);
      try {
        parseHostPort(address);
      } catch (e) {
        return fail('bad-input', `Command line access needs an address HOST:PORT (${errorText(e)}).`);
      }
      const dir = join(cardDir(cardId), CLI_DIR);
      const trusted = join(dir, CLI_FILES.trusted);
      await mkdir(trusted, { recursive: true, mode: 0o700 });
      const seed = opts.random(32);
      const ident = identFromSeed(opts.crypto, seed);
      seed.fill(0);
      const paths = { appIdent: join(dir, CLI_FILES.appIdent), appTicket: join(dir, CLI_FILES.appTicket), nodeTicket: join(dir, CLI_FILES.nodeTicket) };
      const ticket = formatAppTicket({ publicKey: ident.publicKey, permissions: UI_PERMISSIONS });
      await writeCliFile(paths.appIdent, 'ident', formatIdent(ident));
      ident.privateKey.fill(0);
      await writeCliFile(paths.appTicket, 'app-ticket', ticket);
      // the only ticket the listener trusts: a new enable replaces the previous app's
      await writeCliFile(join(trusted, CLI_FILES.appTicket), 'app-ticket', ticket);
      await r.node.stopListening();
      let bound: string;
      try {
        bound = await r.node.listen(address, trusted);
      } catch (e) {
        return fail('bad-input', `Cannot listen on ${address}: ${errorText(e)}`);
      }
      await writeCliFile(paths.nodeTicket, 'node-ticket', formatNodeTicket({ publicKey: r.node.publicKey, address: bound }));
      await writeFile(join(dir, CLI_FILES.listen), `${bound}\n`, { mode: 0o600 });
      return { ok: true, value: { address: bound, ...paths } };
    },
    async cliStatus(cardId) {
      const r = running.get(cardId);
      if (r === undefined) return notRunning(cardId);
      const address = r.node.appAddress;
      if (address === undefined) return { ok: true, value: null };
      const dir = join(cardDir(cardId), CLI_DIR);
      return {
        ok: true,
        value: { address, appIdent: join(dir, CLI_FILES.appIdent), appTicket: join(dir, CLI_FILES.appTicket), nodeTicket: join(dir, CLI_FILES.nodeTicket) },
      };
    },
    async cliDisable(cardId) {
      const r = running.get(cardId);
      if (r === undefined) return notRunning(cardId);
      await rm(join(cardDir(cardId), CLI_DIR, CLI_FILES.listen), { force: true });
      await r.node.stopListening();
      return done;
    },
    async ticketsList(cardId) {
      if (!running.has(cardId)) return notRunning(cardId);
      return { ok: true, value: { tickets: await listTickets({ cliDir: join(cardDir(cardId), CLI_DIR) }) } };
    },
    async ticketsIssue(cardId, name, permissions) {
      const d = ticketDeps(cardId);
      return d === undefined ? notRunning(cardId) : issueTicket(d, name, permissions);
    },
    async ticketsRevoke(cardId, ticketId) {
      const d = ticketDeps(cardId);
      return d === undefined ? notRunning(cardId) : revokeTicket(d, ticketId);
    },
    async ticketsTrust(cardId, name, ticket) {
      const d = ticketDeps(cardId);
      return d === undefined ? notRunning(cardId) : trustTicket(d, name, ticket);
    },
    async backupDatabase(cardId, publicKey, seed) {
      const wasRunning = running.has(cardId);
      await stop(cardId);
      try {
        const path = join(cardDir(cardId), NODE_DB_FILE);
        const store = await openNodeStore(path, { publicKey, clock: opts.clock });
        await store.close(); // after close, node.db holds everything: no journal is needed
        return new Uint8Array(await readFile(path));
      } finally {
        if (wasRunning) await engines.start(cardId, publicKey, seed);
      }
    },
    async restoreDatabase(cardId, publicKey, database) {
      const dir = cardDir(cardId);
      if (await stat(dir).then(() => true, () => false)) return fail('bad-input', `The folder of card ${JSON.stringify(cardId)} exists already.`);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      try {
        const path = join(dir, NODE_DB_FILE);
        const tmp = `${path}.import.tmp`;
        const fh = await open(tmp, 'wx', 0o600);
        try {
          await fh.writeFile(database);
          await fh.sync();
        } finally {
          await fh.close();
        }
        await rename(tmp, path);
        // the store's own checks: an SQLite file with our schema, bound to this card's key
        const store = await openNodeStore(path, { publicKey, clock: opts.clock });
        await store.close();
        return done;
      } catch (e) {
        await rm(dir, { recursive: true, force: true });
        if (isStoreError(e)) return fail('bad-input', `The database does not open as this card's node database: ${e.message}. Nothing was imported.`);
        throw e;
      }
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return engines;
}
