/** SIGKILL in the middle of a stream of appends (and checkpoints): every append that resolved
 *  before the kill is there after reopening, nothing is invented, nothing is duplicated. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeDatabase, openNodeStore } from '../index.node.ts';
import { spawnStoreChild } from './child.ts';
import { eventNumber, eventRow } from './stream-events.ts';

const key = new Uint8Array(32).fill(6);
let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'offset-store-kill-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('a node store killed mid-stream', () => {
  it.each([137, 601, 1450])('keeps every acknowledged append when killed after %i acknowledgements', async (target) => {
    const path = join(dir, `node-${target}.db`);
    await initNodeDatabase(path, key);
    let acked = -1;
    let killedAt = -1;
    const child = spawnStoreChild('stream', path, key, (l) => {
      const m = /^ack (\d+)$/.exec(l);
      if (m === null) return;
      acked = Math.max(acked, Number(m[1]));
      if (acked + 1 >= target && killedAt < 0) {
        killedAt = acked;
        child.proc.kill('SIGKILL');
      }
    });
    const exit = await child.exited;
    expect(exit.signal, child.stderr()).toBe('SIGKILL');
    expect(killedAt).toBeGreaterThanOrEqual(target - 1);
    const maxAcked = Math.max(...child.lines.filter((l) => l.startsWith('ack ')).map((l) => Number(l.slice(4))));

    // the lock of the dead process is stale and taken over
    const store = await openNodeStore(path, { publicKey: key });
    try {
      const snap = store.snapshot('count');
      const base = snap === undefined ? 0 : new DataView(snap.buffer, snap.byteOffset).getUint32(0);
      const replayed = store.replay.map(eventNumber);
      // state = events [0, base) in the snapshot, then the replayed ones: exactly base, base+1, ...
      expect(replayed).toEqual(replayed.map((_, i) => base + i));
      const recovered = base + replayed.length;
      expect(recovered).toBeGreaterThan(maxAcked);
      // at most the in-flight window was lost
      expect(recovered).toBeLessThanOrEqual(maxAcked + 1 + 8);
      const rows = store.queryHistory({ order: 'asc', limit: 10_000 });
      expect(rows).toEqual(Array.from({ length: Math.ceil(recovered / 4) }, (_, i) => eventRow(i * 4)));
    } finally {
      await store.close();
    }
  });
});
