/** Random sequences of appends, checkpoints and reopens against a plain model of what the node
 *  must get back at open (`replay` is what an open found); files copied at random points and
 *  reopened (with a torn append behind) must give back the model as it was at that point. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HistoryRow, type NodeStore, initNodeDatabase, openNodeStore, storeFiles } from './index.node.ts';

const key = new Uint8Array(32).fill(3);

type Op =
  | { readonly kind: 'append'; readonly records: number[]; readonly rows: number[] }
  | { readonly kind: 'checkpoint'; readonly snapshot: number | undefined }
  | { readonly kind: 'reopen' }
  | { readonly kind: 'save' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('append' as const), records: fc.array(fc.nat(255), { maxLength: 4 }), rows: fc.array(fc.nat(9), { maxLength: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('checkpoint' as const), snapshot: fc.option(fc.nat(255), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'save' as const }) },
);

interface Model { records: Uint8Array[]; snapshot: Uint8Array | undefined; history: Map<string, HistoryRow> }
const clone = (m: Model): Model => ({ records: [...m.records], snapshot: m.snapshot, history: new Map(m.history) });

let seq = 0;
const recordOf = (n: number): Uint8Array => Uint8Array.of(n, seq & 0xff, (seq++ >> 8) & 0xff);
const rowOf = (n: number, version: number): HistoryRow => ({
  id: `row-${n}`, kind: 'payment', time: n * 10, currency: 'FST', amount: BigInt(version) * 10n ** 25n, state: `v${version}`, data: Uint8Array.of(n),
});

function expectModel(s: NodeStore, m: Model): void {
  expect(s.replay).toEqual(m.records);
  expect(s.snapshot('funder')).toEqual(m.snapshot);
  expect(s.queryHistory({ order: 'asc', limit: 1000 })).toEqual([...m.history.values()].sort((a, b) => a.time - b.time));
}

let root: string;
beforeAll(() => { root = mkdtempSync(join(tmpdir(), 'offset-store-model-')); });
afterAll(() => { rmSync(root, { recursive: true, force: true }); });
let run = 0;

describe('NodeStore against a model', () => {
  it('gives back exactly what was acknowledged, after reopens and from files saved at any point', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), fc.nat(60), async (ops, tornLength) => {
        const dir = join(root, `run-${run++}`);
        const path = join(dir, 'node.db');
        const files = storeFiles(path);
        mkdirSync(dir);
        await initNodeDatabase(path, key);
        const smallPolicy = { minJournalBytes: 200, journalToDbRatio: 0, autoFoldFactor: 3 };
        let s = await openNodeStore(path, { publicKey: key, checkpoint: smallPolicy });
        const m: Model = { records: [], snapshot: undefined, history: new Map() };
        const saved: { files: Map<string, Buffer>; model: Model }[] = [];
        let version = 0;
        try {
          for (const o of ops) {
            if (o.kind === 'append') {
              const records = o.records.map(recordOf);
              const rows = o.rows.map((n) => rowOf(n, ++version));
              await s.append(records, rows);
              m.records.push(...records);
              for (const r of rows) m.history.set(r.id, r);
            } else if (o.kind === 'checkpoint') {
              if (o.snapshot === undefined) {
                await s.checkpoint();
              } else {
                const snap = Uint8Array.of(o.snapshot, m.records.length & 0xff);
                await s.checkpoint(new Map([['funder', snap]]));
                m.snapshot = snap;
                m.records = [];
              }
            } else if (o.kind === 'reopen') {
              await s.close();
              s = await openNodeStore(path, { publicKey: key, checkpoint: smallPolicy });
              expectModel(s, m);
            } else {
              await s.settled();
              const copy = new Map<string, Buffer>();
              for (const f of [files.db, files.journal, files.journalNext]) if (existsSync(f)) copy.set(f, readFileSync(f));
              saved.push({ files: copy, model: clone(m) });
            }
          }
        } finally {
          await s.close();
        }
        const last = await openNodeStore(path, { publicKey: key });
        try {
          expectModel(last, m);
        } finally {
          await last.close();
        }
        // a crash at each saved point: the files as they were, plus the start of an append that never finished
        for (const point of saved) {
          for (const f of [files.db, files.journal, files.journalNext]) rmSync(f, { force: true });
          for (const [f, bytes] of point.files) writeFileSync(f, bytes);
          const tail = point.files.has(files.journalNext) ? files.journalNext : files.journal;
          writeFileSync(tail, Buffer.concat([readFileSync(tail), Buffer.alloc(tornLength, 0x77).subarray(0, Math.min(tornLength, 11))]));
          const again = await openNodeStore(path, { publicKey: key });
          try {
            expectModel(again, point.model);
          } finally {
            await again.close();
          }
        }
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 25 },
    );
  });
});
