/** For tests: a real wallet host on a temp data folder (cheap scrypt), driven through its
 *  dispatcher as a window would, with every `app.message` event decoded and awaitable. Not used
 *  by the product. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NodeToApp, nodeToApp } from '../src-core/app/index.ts';
import { decodeExact, fromBase64Url } from '../src-core/codec/index.ts';
import { openWalletHost, type RunningHost } from './host.node.ts';

export type Answer = { ok: boolean; value?: any; error?: { code: string; message: string } };

/** Where a test keeps what it must clean up (its afterEach closes the hosts, removes the dirs). */
export interface TestHostCleanup {
  readonly dirs: string[];
  readonly hosts: RunningHost[];
}

export async function openTestHost(cleanup: TestHostCleanup, opts: { readonly tmpPrefix: string; readonly dataDir?: string }) {
  const dir = opts.dataDir ?? join(mkdtempSync(join(tmpdir(), opts.tmpPrefix)), 'data');
  if (opts.dataDir === undefined) cleanup.dirs.push(join(dir, '..'));
  const internal: unknown[] = [];
  const h = await openWalletHost(dir, (e) => internal.push(e), { cost: { logN: 4, r: 8, p: 1 } });
  cleanup.hosts.push(h);
  const messages: Array<{ cardId: string; message: NodeToApp }> = [];
  const waiters: Array<() => void> = [];
  h.events.subscribe((text) => {
    const e = JSON.parse(text) as { name: string; payload: { cardId: string; message: string } };
    if (e.name !== 'app.message') return;
    const decoded = decodeExact(nodeToApp, fromBase64Url(e.payload.message) as Uint8Array);
    if (!decoded.ok) throw new Error(`the host sent an undecodable app message: ${decoded.error.message}`);
    messages.push({ cardId: e.payload.cardId, message: decoded.value });
    for (const w of waiters.splice(0)) w();
  });
  let id = 0;
  const call = async (name: string, args: unknown = {}): Promise<Answer> => JSON.parse(await h.dispatcher.handle(JSON.stringify({ id: ++id, name, args }))) as Answer;
  /** The first app message (from index `from`) of `cardId` that `pred` accepts. */
  const waitFor = async (cardId: string, pred: (m: NodeToApp) => boolean, from = 0): Promise<NodeToApp> => {
    for (;;) {
      const hit = messages.slice(from).find((m) => m.cardId === cardId && pred(m.message));
      if (hit !== undefined) return hit.message;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return { dir, h, call, messages, waitFor, internal };
}
