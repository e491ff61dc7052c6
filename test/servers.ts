/** A real relay and index server on 127.0.0.1 (in this process), for tests of code that may not
 *  import them itself (the renderer's store tests pay through them). */
import { randomBytes } from 'node:crypto';
import { nodeBackend as crypto } from '../src-core/crypto/backend.node.ts';
import { identityFromSeed } from '../src-core/crypto/index.ts';
import { listenIndexServer } from '../src-core/index/server.node.ts';
import { systemClock } from '../src-core/net/index.ts';
import { startRelayServer } from '../src-core/relay/server.node.ts';

export interface Servers {
  readonly relay: { readonly publicKey: Uint8Array; readonly address: string };
  readonly index: { readonly publicKey: Uint8Array; readonly address: string };
  close(): Promise<void>;
}

export async function startRelayAndIndex(): Promise<Servers> {
  const relaySigner = identityFromSeed(crypto, new Uint8Array(randomBytes(32)));
  const indexSigner = identityFromSeed(crypto, new Uint8Array(randomBytes(32)));
  const relay = await startRelayServer({ identity: relaySigner, crypto, clock: systemClock, laddr: '127.0.0.1:0' });
  const index = await listenIndexServer({ identity: indexSigner, crypto, trusted: [], clientAddress: '127.0.0.1:0', serverAddress: '127.0.0.1:0' });
  return {
    relay: { publicKey: relaySigner.publicKey, address: relay.address },
    index: { publicKey: indexSigner.publicKey, address: index.clientAddress },
    async close() {
      await index.close();
      await relay.close();
    },
  };
}
