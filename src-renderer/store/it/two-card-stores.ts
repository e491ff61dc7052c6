/** Store tests' set-up: a real wallet host with node engines on a temp folder (cheap scrypt), a
 *  password, two cards (Alice, Bob) and two windows' stores, Alice's open in `a`, Bob's in `b`.
 *  Everything it starts is undone by the given cleanups, last first. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { inProcessTransport } from '../../../src-main/dispatcher.ts';
import { openWalletHost, type RunningHost } from '../../../src-main/host.node.ts';
import { createBridgeClient } from '../../bridge-client.ts';
import { type AppStore, createAppStore } from '../app-store.ts';

export type Cleanups = Array<() => Promise<void> | void>;

export interface TwoCardStores {
  readonly a: AppStore;
  readonly b: AppStore;
  readonly aliceId: string;
  readonly host: RunningHost;
}

export async function twoCardStores(cleanups: Cleanups, opts: { readonly tmpPrefix: string; readonly password: string }): Promise<TwoCardStores> {
  const tmp = mkdtempSync(join(tmpdir(), opts.tmpPrefix));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  const h = await openWalletHost(join(tmp, 'data'), (e) => { throw e; }, { cost: { logN: 4, r: 8, p: 1 } });
  cleanups.push(() => h.close());
  const bridge = () => createBridgeClient(inProcessTransport(h.dispatcher, h.events));
  const a = createAppStore(bridge());
  const b = createAppStore(bridge());
  cleanups.push(() => { a.getState().closeCard(); b.getState().closeCard(); });
  expect((await a.getState().createPassword(opts.password)).ok).toBe(true);
  const ca = await a.getState().createCard('Alice');
  const cb = await a.getState().createCard('Bob');
  if (!ca.ok || !cb.ok) throw new Error('cards not created');
  await a.getState().openCard(ca.value.id);
  await b.getState().openCard(cb.value.id);
  return { a, b, aliceId: ca.value.id, host: h };
}
