/** Wires the wallet host for a real run (Electron or browser mode): the vault file in the data
 *  directory, node:crypto, native scrypt, OS randomness, and the dispatcher over it. */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { nodeBackend } from '../src-core/crypto/backend.node.ts';
import { createDispatcher, EventHub, type Dispatcher } from './dispatcher.ts';
import { scryptKdf } from './kdf.node.ts';
import { loadVault, fileVaultStorage } from './vault-storage.node.ts';
import { createWalletHost, type WalletHost } from './wallet-host.ts';

export const VAULT_FILE = 'wallet.json';

export interface RunningHost {
  readonly host: WalletHost;
  readonly dispatcher: Dispatcher;
  readonly events: EventHub;
}

export async function openWalletHost(dataDir: string, onInternalError: (e: unknown) => void, cost?: { logN: number; r: number; p: number }): Promise<RunningHost> {
  const path = join(dataDir, VAULT_FILE);
  const events = new EventHub();
  const host = createWalletHost({
    vault: await loadVault(path),
    save: fileVaultStorage(path).save,
    events,
    crypto: nodeBackend,
    kdf: scryptKdf,
    random: (n) => new Uint8Array(randomBytes(n)),
    ...(cost === undefined ? {} : { cost }),
  });
  return { host, events, dispatcher: createDispatcher(host.handlers, onInternalError) };
}
