/** Wires the wallet host for a real run (Electron or browser mode): the vault file in the data
 *  directory, node:crypto, native scrypt, OS randomness, and the dispatcher over it. */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { nodeBackend } from '../src-core/crypto/backend.node.ts';
import { acquireLock } from '../src-core/store/lock.node.ts';
import { createDispatcher, EventHub, type Dispatcher } from './dispatcher.ts';
import { scryptKdf } from './kdf.node.ts';
import { loadVault, fileVaultStorage } from './vault-storage.node.ts';
import { createWalletHost, type WalletHost } from './wallet-host.ts';

export const VAULT_FILE = 'wallet.json';
export const HOST_LOCK_FILE = 'wallet.json.lock';

export interface RunningHost {
  readonly host: WalletHost;
  readonly dispatcher: Dispatcher;
  readonly events: EventHub;
  /** Releases the data folder's lock file. */
  close(): Promise<void>;
}

/** Opens the wallet in `dataDir`, holding its lock file so a second host (Electron and browser
 *  mode, or two browser-mode runs) cannot overwrite the same vault. Throws StoreError('locked')
 *  naming the holder's pid when another live process has it. */
export async function openWalletHost(dataDir: string, onInternalError: (e: unknown) => void, cost?: { logN: number; r: number; p: number }): Promise<RunningHost> {
  const path = join(dataDir, VAULT_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const lock = await acquireLock(join(dataDir, HOST_LOCK_FILE), 'the Offset wallet');
  let vault;
  try {
    vault = await loadVault(path);
  } catch (e) {
    await lock.release();
    throw e;
  }
  const events = new EventHub();
  const host = createWalletHost({
    vault,
    save: fileVaultStorage(path).save,
    events,
    crypto: nodeBackend,
    kdf: scryptKdf,
    random: (n) => new Uint8Array(randomBytes(n)),
    ...(cost === undefined ? {} : { cost }),
  });
  return { host, events, dispatcher: createDispatcher(host.handlers, onInternalError), close: () => lock.release() };
}
