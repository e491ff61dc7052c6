import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encode } from '../codec/index.ts';
import { nodeBackend } from '../crypto/backend.node.ts';
import { identityFromSeed } from '../crypto/index.ts';
import { funderStateCodec, initialFunderState } from '../funder/index.ts';
import { initNodeDatabase, openNodeStore } from '../store/index.node.ts';
import { NodeLoadError, loadNodeState } from './load.ts';
import { SNAPSHOT_FUNDER, decodePeerMessage, encodePeerMessage, nodeRecordCodec } from './wire.ts';

const me = identityFromSeed(nodeBackend, new Uint8Array(32).fill(1)).publicKey;
const other = identityFromSeed(nodeBackend, new Uint8Array(32).fill(2)).publicKey;
let dir = '';
afterEach(async () => { if (dir) await rm(dir, { recursive: true, force: true }); dir = ''; });

async function store() {
  dir = await mkdtemp(join(tmpdir(), 'node-load-'));
  await initNodeDatabase(join(dir, 'n.db'), me);
  return openNodeStore(join(dir, 'n.db'), { publicKey: me });
}

describe('rebuilding the node state at start', () => {
  it('replays funder mutations and configuration records in order', async () => {
    const s = await store();
    const server = { publicKey: other, address: '127.0.0.1:9', name: 'idx' };
    await s.append([
      encode(nodeRecordCodec, { kind: 'config', config: { indexServers: [server], friendOrder: [] } }),
      encode(nodeRecordCodec, { kind: 'funder', mutation: { kind: 'set-settings', settings: { acceptAutoCollect: false, maxPendingUserRequests: 32 } } }),
    ]);
    await s.close();
    const again = await openNodeStore(join(dir, 'n.db'), { publicKey: me });
    try {
      const loaded = loadNodeState(again, me);
      expect(loaded.config.indexServers).toEqual([server]);
      expect(loaded.funder.settings.acceptAutoCollect).toBe(false);
    } finally {
      await again.close();
    }
  });

  it('refuses a record that does not decode, naming it', async () => {
    const s = await store();
    await s.append([Uint8Array.of(9, 9, 9)]);
    expect(() => loadNodeState(s, me)).not.toThrow(); // replay is what was found at open
    await s.close();
    const again = await openNodeStore(join(dir, 'n.db'), { publicKey: me });
    try {
      expect(() => loadNodeState(again, me)).toThrow(NodeLoadError);
      expect(() => loadNodeState(again, me)).toThrow(/journal record 0 is corrupt/);
    } finally {
      await again.close();
    }
  });

  it('refuses a friend patch that does not fit the state before it, naming the record', async () => {
    const s = await store();
    const patch = { info: { name: 'x', remoteRelays: [], sentLocalRelays: { kind: 'never-sent' as const }, currencyConfigs: new Map(), enabled: true }, channel: undefined };
    await s.append([encode(nodeRecordCodec, { kind: 'funder', mutation: { kind: 'patch-friend', publicKey: Buffer.from(other).toString('hex'), patch } })]);
    await s.close();
    const again = await openNodeStore(join(dir, 'n.db'), { publicKey: me });
    try {
      expect(() => loadNodeState(again, me)).toThrow(NodeLoadError);
      expect(() => loadNodeState(again, me)).toThrow(/journal record 0 does not fit/);
    } finally {
      await again.close();
    }
  });

  it('refuses a funder snapshot of another identity', async () => {
    const s = await store();
    await s.checkpoint(new Map([[SNAPSHOT_FUNDER, encode(funderStateCodec, initialFunderState(other))]]));
    await s.close();
    const again = await openNodeStore(join(dir, 'n.db'), { publicKey: me });
    try {
      expect(() => loadNodeState(again, me)).toThrow(/another identity/);
    } finally {
      await again.close();
    }
  });
});

describe('the friend channel envelope', () => {
  it('round-trips terms and rejects trailing bytes', () => {
    const bytes = encodePeerMessage({ kind: 'terms', currencies: [{ currency: 'FST', maxDebt: 150n, isOpen: true }] });
    expect(decodePeerMessage(bytes)).toEqual({ ok: true, value: { kind: 'terms', currencies: [{ currency: 'FST', maxDebt: 150n, isOpen: true }] } });
    expect(decodePeerMessage(Uint8Array.from([...bytes, 0])).ok).toBe(false);
    expect(decodePeerMessage(Uint8Array.of(7)).ok).toBe(false);
  });
});
