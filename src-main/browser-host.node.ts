/** Browser mode (ARCHITECTURE §3): the wallet host without Electron. Serves the built renderer on
 *  127.0.0.1 and carries the bridge over a WebSocket.
 *
 *  Who may talk to the host: only a page that was given the per-run token (printed in the URL's
 *  fragment, which browsers never send over the network) and that runs on the host's own origin.
 *  Every HTTP request and WebSocket upgrade must name the host exactly as `127.0.0.1:PORT` (no
 *  DNS-rebinding through another name); an upgrade must also come from Origin
 *  `http://127.0.0.1:PORT` and offer the token as a WebSocket subprotocol
 *  (`offset-token.<token>`, beside `offset-bridge`). Anything else gets 403 and the socket closed,
 *  before the WebSocket exists. */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { toBase64Url } from '../src-core/codec/index.ts';
import { BRIDGE_TOKEN_PROTOCOL_PREFIX, BRIDGE_WS_PATH, BRIDGE_WS_PROTOCOL, MAX_BRIDGE_MESSAGE_CHARS } from './bridge.ts';
import type { Dispatcher, EventHub } from './dispatcher.ts';
import { readStaticFile } from './static-files.node.ts';
import { contentSecurityPolicy, securityHeaders } from './window-options.ts';

export const BRIDGE_PATH = BRIDGE_WS_PATH;
export const BRIDGE_PROTOCOL = BRIDGE_WS_PROTOCOL;
export const TOKEN_PROTOCOL_PREFIX = BRIDGE_TOKEN_PROTOCOL_PREFIX;

export interface BrowserHostOptions {
  readonly rendererDir: string;
  readonly dispatcher: Dispatcher;
  readonly events: EventHub;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** The per-run secret; random (32 bytes) unless a caller supplies one. */
  readonly token?: string;
}

export interface BrowserHost {
  readonly port: number;
  readonly origin: string;
  /** The address to open, token included: http://127.0.0.1:PORT/#token=… */
  readonly url: string;
  readonly token: string;
  /** How many WebSocket clients are connected now. */
  connections(): number;
  close(): Promise<void>;
}

type Refusal = 'bad-host' | 'bad-origin' | 'bad-token' | 'bad-path';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function offeredToken(req: IncomingMessage): string | undefined {
  const header = req.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return undefined;
  const offered = header.split(',').map((p) => p.trim());
  if (!offered.includes(BRIDGE_PROTOCOL)) return undefined;
  const tokens = offered.filter((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX));
  return tokens.length === 1 ? (tokens[0] as string).slice(TOKEN_PROTOCOL_PREFIX.length) : undefined;
}

export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const token = opts.token ?? toBase64Url(randomBytes(32));
  let port = 0;
  const expectedHost = (): string => `127.0.0.1:${port}`;
  const origin = (): string => `http://${expectedHost()}`;
  const headers = (): Record<string, string> => securityHeaders(contentSecurityPolicy([`ws://${expectedHost()}`]));

  const refuseUpgrade = (req: IncomingMessage): Refusal | undefined => {
    if (req.headers.host !== expectedHost()) return 'bad-host';
    if (req.headers.origin !== origin()) return 'bad-origin';
    if (new URL(req.url ?? '/', origin()).pathname !== BRIDGE_PATH) return 'bad-path';
    const offered = offeredToken(req);
    if (offered === undefined || !sameSecret(offered, token)) return 'bad-token';
    return undefined;
  };

  const serveHttp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.headers.host !== expectedHost()) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end('forbidden host\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    const path = new URL(req.url ?? '/', origin()).pathname;
    const file = await readStaticFile(opts.rendererDir, path);
    if (file === undefined) {
      res.writeHead(404, { ...headers(), 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    res.writeHead(200, { ...headers(), 'Content-Type': file.contentType, 'Content-Length': String(file.body.length) });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };

  const server = createServer((req, res) => {
    serveHttp(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_BRIDGE_MESSAGE_CHARS * 3, // UTF-8 bytes of at most that many characters
    handleProtocols: (protocols) => (protocols.has(BRIDGE_PROTOCOL) ? BRIDGE_PROTOCOL : false),
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = refuseUpgrade(req);
    if (refusal !== undefined) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\nX-Offset-Refusal: ${refusal}\r\n\r\n`);
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    const unsubscribe = opts.events.subscribe((text) => {
      if (ws.readyState === ws.OPEN) ws.send(text);
    });
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? undefined : data.toString();
      void opts.dispatcher.handle(text).then((answer) => {
        if (ws.readyState === ws.OPEN) ws.send(answer);
      });
    });
    ws.on('close', unsubscribe);
    ws.on('error', () => ws.terminate());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    origin: origin(),
    url: `${origin()}/#token=${token}`,
    token,
    connections: () => wss.clients.size,
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
