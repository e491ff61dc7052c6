/** The relay on TCP: `startRelayServer` binds `laddr` and hands every connection to the relay. */
import { type TcpServer, tcpListen } from '../net/tcp.node.ts';
import { RELAY_HIGH_WATER, type Relay, type RelayOptions, createRelay } from './server.ts';

export interface RelayServer {
  /** "host:port" actually bound (port 0 → the real port). */
  readonly address: string;
  readonly relay: Relay;
  /** Stops accepting, closes every connection. */
  close(): Promise<void>;
}

export async function startRelayServer(opts: RelayOptions & { readonly laddr: string }): Promise<RelayServer> {
  const relay = createRelay(opts);
  const server: TcpServer = await tcpListen(opts.laddr, (s) => relay.handleStream(s, s.remoteAddress), { log: opts.log, highWaterBytes: RELAY_HIGH_WATER });
  return {
    address: server.address,
    relay,
    async close() {
      relay.close();
      await server.close();
    },
  };
}
