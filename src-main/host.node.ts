/** Wires the wallet host for a real run (Electron or browser mode): the vault file in the data
 *  directory, node:crypto, native scrypt, OS randomness, the local cards' node engines
 *  (<dataDir>/cards/<cardId>/, system clock), and the dispatcher over it. */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { nodeBackend } from '../src-core/crypto/backend.node.ts';
import { type Clock, systemClock } from '../src-core/net/index.ts';
import { acquireLock } from '../src-core/store/lock.node.ts';
import { type CardEngines, createCardEngines } from './card-engines.node.ts';
import { CARD_PREFS_FILE, loadCardPrefs, saveCardPrefs } from './card-prefs-storage.node.ts';
import { createDispatcher, EventHub, type Dispatcher } from './dispatcher.ts';
import { scryptKdf } from './kdf.node.ts';
import { createRemoteCards, type RemoteCards } from './remote-cards.node.ts';
import { loadSafetySettings, SAFETY_FILE, saveSafetySettings } from './safety-storage.node.ts';
import { loadVault, fileVaultStorage } from './vault-storage.node.ts';
import { createWalletHost, type WalletHost } from './wallet-host.ts';

export const VAULT_FILE = 'wallet.json';
export const HOST_LOCK_FILE = 'wallet.json.lock';

export interface RunningHost {
  readonly host: WalletHost;
  readonly dispatcher: Dispatcher;
  readonly events: EventHub;
  readonly engines: CardEngines;
  readonly remotes: RemoteCards;
  /** Stops the cards' nodes cleanly, then releases the data folder's lock file. */
  close(): Promise<void>;
}

export interface HostOptions {
  /** scrypt cost for new password locks (tests pass a small one). */
  readonly cost?: { readonly logN: number; readonly r: number; readonly p: number };
  /** Default the system clock. */
  readonly clock?: Clock;
  /** Node funder ticks (default the node's). */
  readonly tickMs?: number;
  /** Node log lines (default: dropped). */
  readonly log?: (line: string) => void;
  /** Remote cards' reconnect delays (default remote-cards.node.ts's: 1 s doubling up to 30 s). */
  readonly reconnect?: { readonly minDelayMs: number; readonly maxDelayMs: number };
}

/** Opens the wallet in `dataDir`, holding its lock file so a second host (Electron and browser
 *  mode, or two browser-mode runs) cannot overwrite the same vault. Throws StoreError('locked')
 *  naming the holder's pid when another live process has it. */
export async function openWalletHost(dataDir: string, onInternalError: (e: unknown) => void, options: HostOptions = {}): Promise<RunningHost> {
  const { cost } = options;
  const path = join(dataDir, VAULT_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const lock = await acquireLock(join(dataDir, HOST_LOCK_FILE), 'the Offset wallet');
  let vault;
  let safety;
  let cardPrefs;
  const safetyPath = join(dataDir, SAFETY_FILE);
  const cardPrefsPath = join(dataDir, CARD_PREFS_FILE);
  try {
    vault = await loadVault(path);
    safety = await loadSafetySettings(safetyPath);
    cardPrefs = await loadCardPrefs(cardPrefsPath);
  } catch (e) {
    await lock.release();
    throw e;
  }
  const events = new EventHub();
  const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
  const engines = createCardEngines({
    dataDir, events, crypto: nodeBackend, clock: options.clock ?? systemClock, random,
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.tickMs === undefined ? {} : { tickMs: options.tickMs }),
  });
  const remotes = createRemoteCards({
    events, crypto: nodeBackend, clock: options.clock ?? systemClock,
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.reconnect ?? {}),
  });
  const host = createWalletHost({
    vault,
    save: fileVaultStorage(path).save,
    events,
    crypto: nodeBackend,
    kdf: scryptKdf,
    random,
    engines,
    remotes,
    now: () => (options.clock ?? systemClock).now(),
    safety: { settings: safety, save: saveSafetySettings(safetyPath), ...(options.clock === undefined ? {} : { clock: options.clock }) },
    cardPrefs: { prefs: cardPrefs, save: saveCardPrefs(cardPrefsPath), ...(options.clock === undefined ? {} : { clock: options.clock }) },
    onEngineError: (cardId, e) => onInternalError(new Error(`card ${cardId}: its node did not start: ${e instanceof Error ? e.message : String(e)}`)),
    ...(cost === undefined ? {} : { cost }),
  });
  const close = async (): Promise<void> => {
    try {
      await host.close();
    } finally {
      await lock.release();
    }
  };
  return { host, events, engines, remotes, dispatcher: createDispatcher(host.handlers, onInternalError), close };
}
