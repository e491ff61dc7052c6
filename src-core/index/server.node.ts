/** An index server on TCP: the node-facing and server-facing listeners of `stindex`. */
import { nodeBackend } from '../crypto/backend.node.ts';
import { type Signer } from '../crypto/index.ts';
import { systemClock } from '../net/index.ts';
import { type TcpServer, tcpConnect, tcpListen } from '../net/tcp.node.ts';
import { IndexServer, type IndexServerOptions, type TrustedServer } from './server.ts';

export interface TcpIndexServerOptions extends Partial<Omit<IndexServerOptions, 'identity' | 'trusted'>> {
  readonly identity: Signer;
  readonly trusted: readonly TrustedServer[];
  /** Where nodes connect (`--lclient`), HOST:PORT; port 0 picks one. */
  readonly clientAddress: string;
  /** Where federated index servers connect (`--lserver`). */
  readonly serverAddress: string;
}

export interface RunningIndexServer {
  readonly server: IndexServer;
  /** The bound addresses (real ports when asked for port 0). */
  readonly clientAddress: string;
  readonly serverAddress: string;
  close(): Promise<void>;
}

/** ExchangeRandNonce and ExchangeDh are limited to SMALL_FRAME_LENGTH, so a peer that never
 *  proves a key cannot make the server buffer 1 MiB frames. Not the relay's HANDSHAKE_FRAMES: a
 *  node's first encrypted frame may batch the key-confirming keepalive with a large report. */
const UNAUTHENTICATED_FRAMES = 2;

export async function listenIndexServer(opts: TcpIndexServerOptions): Promise<RunningIndexServer> {
  const crypto = opts.crypto ?? nodeBackend;
  const server = new IndexServer({
    ...opts,
    crypto,
    clock: opts.clock ?? systemClock,
    connect: opts.connect ?? ((address) => tcpConnect(address)),
    random: opts.random ?? ((n) => crypto.randomBytes(n)),
  });
  const listeners: TcpServer[] = [];
  try {
    listeners.push(await tcpListen(opts.clientAddress, (s) => server.acceptClient(s), { handshakeFrames: UNAUTHENTICATED_FRAMES }));
    listeners.push(await tcpListen(opts.serverAddress, (s) => server.acceptServer(s), { handshakeFrames: UNAUTHENTICATED_FRAMES }));
  } catch (e) {
    await Promise.all(listeners.map((l) => l.close()));
    throw e;
  }
  server.start();
  const [clients, servers] = listeners as [TcpServer, TcpServer];
  return {
    server,
    clientAddress: clients.address,
    serverAddress: servers.address,
    async close() {
      server.close();
      await Promise.all(listeners.map((l) => l.close()));
    },
  };
}
