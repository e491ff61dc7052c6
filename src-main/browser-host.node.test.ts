import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { seededRandom } from '../src-core/crypto/index.ts';
import { BRIDGE_PROTOCOL, TOKEN_PROTOCOL_PREFIX, startBrowserHost, type BrowserHost } from './browser-host.node.ts';
import { createDispatcher, EventHub } from './dispatcher.ts';
import { nodeBackend } from '../src-core/crypto/backend.node.ts';
import { nodeScryptKdf } from './kdf.node.ts';
import { EMPTY_VAULT } from './vault-file.ts';
import { createWalletHost } from './wallet-host.ts';

let dir: string;
let host: BrowserHost;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'offset-bh-'));
  const root = join(dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Offset</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'export {};');
  writeFileSync(join(root, '.secret.txt'), 'hidden');
  writeFileSync(join(dir, 'outside.txt'), 'outside');
  symlinkSync(join(dir, 'outside.txt'), join(root, 'assets', 'link.txt'));
  const events = new EventHub();
  const wallet = createWalletHost({
    vault: EMPTY_VAULT, save: async () => {}, events, crypto: nodeBackend, kdf: nodeScryptKdf, random: seededRandom(9), cost: { logN: 4, r: 8, p: 1 },
  });
  const dispatcher = createDispatcher(wallet.handlers);
  host = await startBrowserHost({ rendererDir: root, dispatcher, events });
});

afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

interface HttpAnswer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function get(path: string, hostHeader = `127.0.0.1:${host.port}`, method = 'GET'): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method, headers: { host: hostHeader } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Attempt { origin?: string; hostHeader?: string; protocols?: string[]; path?: string }

/** Opens a bridge socket; resolves with the socket, or with the refusal status and reason. */
function connect(a: Attempt = {}): Promise<{ ws: WebSocket } | { status: number; refusal: string | undefined }> {
  const protocols = a.protocols ?? [BRIDGE_PROTOCOL, TOKEN_PROTOCOL_PREFIX + host.token];
  const headers: Record<string, string> = { host: a.hostHeader ?? `127.0.0.1:${host.port}` };
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}${a.path ?? '/bridge'}`, protocols, {
    headers,
    ...(a.origin === undefined ? {} : { origin: a.origin }),
  });
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve({ ws }));
    ws.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, refusal: res.headers['x-offset-refusal'] as string | undefined });
      ws.terminate();
    });
    ws.on('error', (e) => reject(e));
  });
}

/** Bounded polling for a server-side effect of a client action (no fixed sleeps). */
async function until(cond: () => boolean, deadlineMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > deadlineMs) throw new Error('condition not reached');
    await new Promise((r) => setImmediate(r));
  }
}

const own = (): string => host.origin;

function call(ws: WebSocket, text: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const m = JSON.parse(data.toString()) as Record<string, unknown>;
      if (m['kind'] !== 'response') return;
      ws.off('message', onMessage);
      resolve(m);
    };
    ws.on('message', onMessage);
    ws.send(text);
  });
}

describe('browser host: HTTP', () => {
  it('prints a URL on 127.0.0.1 carrying the token in the fragment', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('serves the renderer with a strict CSP allowing only its own WebSocket', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>Offset</title>');
    const csp = r.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src ws://127.0.0.1:${host.port}`);
    expect(csp).not.toContain('unsafe');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect((await get('/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it.each([
    ['a foreign host name', 'evil.example:80'],
    ['localhost instead of 127.0.0.1', 'localhost:PORT'],
    ['another port', '127.0.0.1:1'],
  ])('refuses HTTP requests naming %s', async (_label, hostHeader) => {
    const r = await get('/', hostHeader.replace('PORT', String(host.port)));
    expect(r.status).toBe(403);
    expect(r.body).not.toContain('Offset');
  });

  it.each([
    ['a parent directory', '/../outside.txt'],
    ['an encoded parent directory', '/%2e%2e/outside.txt'],
    ['an encoded separator', '/..%2foutside.txt'],
    ['a hidden file', '/.secret.txt'],
    ['a missing file', '/nope.js'],
    ['a symlink leading out of the folder', '/assets/link.txt'],
    ['a directory', '/assets'],
    ['a broken escape', '/%E0%A4%A'],
  ])('does not serve %s', async (_label, path) => {
    const r = await get(path);
    expect(r.status).toBe(404);
    expect(r.body).not.toMatch(/outside|hidden/);
  });

  it('answers only GET and HEAD', async () => {
    expect((await get('/', undefined, 'POST')).status).toBe(405);
    expect((await get('/', undefined, 'HEAD')).status).toBe(200);
  });
});

describe('browser host: WebSocket bridge', () => {
  it('accepts the page with the token on its own origin and carries calls and events', async () => {
    const opened = await connect({ origin: own() });
    if (!('ws' in opened)) throw new Error(`refused: ${String(opened.refusal)}`);
    const { ws } = opened;
    expect(ws.protocol).toBe(BRIDGE_PROTOCOL);
    const event = new Promise<Record<string, unknown>>((resolve) => ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as Record<string, unknown>;
      if (m['kind'] === 'event' && m['name'] === 'cards.changed') resolve(m);
    }));
    expect(await call(ws, '{"id":9,"name":"wallet.create","args":{"password":"web password"}}')).toMatchObject({ id: 9, ok: true });
    const created = await call(ws, '{"id":1,"name":"cards.create","args":{"name":"Web"}}');
    expect(created).toMatchObject({ id: 1, ok: true, value: { card: { name: 'Web' } } });
    expect(await event).toMatchObject({ name: 'cards.changed', payload: { cards: [{ name: 'Web' }] } });
    expect(await call(ws, '{"id":2,"name":"cards.remove","args":{"cardId":"forged"}}')).toMatchObject({ id: 2, ok: false, error: { code: 'unknown-card' } });
    expect(await call(ws, 'garbage')).toMatchObject({ id: null, ok: false, error: { code: 'bad-message' } });
    const binaryAnswer = new Promise<Record<string, unknown>>((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()) as Record<string, unknown>)));
    ws.send(Buffer.from('{"id":5,"name":"cards.list","args":{}}')); // a binary frame, even of a valid call
    expect(await binaryAnswer).toMatchObject({ id: null, ok: false, error: { code: 'bad-message' } });
    expect(await call(ws, '{"id":3,"name":"cards.list","args":{}}')).toMatchObject({ value: { cards: [{ name: 'Web' }] } });
    ws.close();
    await until(() => host.connections() === 0);
  });

  it.each<[string, () => Attempt, string]>([
    ['a missing token', () => ({ origin: own(), protocols: [BRIDGE_PROTOCOL] }), 'bad-token'],
    ['a wrong token', () => ({ origin: own(), protocols: [BRIDGE_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${'A'.repeat(43)}`] }), 'bad-token'],
    ['a token prefix', () => ({ origin: own(), protocols: [BRIDGE_PROTOCOL, TOKEN_PROTOCOL_PREFIX + host.token.slice(0, 20)] }), 'bad-token'],
    ['two tokens', () => ({ origin: own(), protocols: [BRIDGE_PROTOCOL, TOKEN_PROTOCOL_PREFIX + host.token, `${TOKEN_PROTOCOL_PREFIX}x`] }), 'bad-token'],
    ['the token without the bridge protocol', () => ({ origin: own(), protocols: [TOKEN_PROTOCOL_PREFIX + host.token] }), 'bad-token'],
    ['a foreign Origin', () => ({ origin: 'http://evil.example' }), 'bad-origin'],
    ['a localhost Origin', () => ({ origin: `http://localhost:${host.port}` }), 'bad-origin'],
    ['no Origin', () => ({}), 'bad-origin'],
    ['a foreign Host', () => ({ origin: own(), hostHeader: 'evil.example' }), 'bad-host'],
    ['another path', () => ({ origin: own(), path: '/other' }), 'bad-path'],
  ])('refuses a connection with %s', async (_label, attempt, refusal) => {
    expect(await connect(attempt())).toEqual({ status: 403, refusal });
    expect(host.connections()).toBe(0);
  });
});
