/** History rows carry `via` (the friends an incoming payment came through) durably, and a
 *  database and journal written before schema version 2 open, migrate and keep their rows. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Writer, bytes, encode, list, option, struct, u64, utf8 } from '../codec/index.ts';
import { crc32 } from './crc32.ts';
import { type HistoryRow, type NodeStore, initNodeDatabase, openNodeStore, storeFiles } from './index.node.ts';
import { formatVia, parseVia } from './history.ts';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './schema.ts';
import { loadSqlJs } from './sqljs.node.ts';

const key = new Uint8Array(32).fill(1);
const bob = 'Ym9iLWtleS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0';
const carol = 'Y2Fyb2wta2V5LS0tLS0tLS0tLS0tLS0tLS0tLS0tLS0';
const received = (id: string, over: Partial<HistoryRow> = {}): HistoryRow => ({
  id, kind: 'received', time: 1000, currency: 'FST', amount: 150n, state: 'collected', data: Uint8Array.of(1),
  via: [{ friend: bob, amount: 100n }, { friend: carol, amount: 50n }], ...over,
});

let dir: string;
let path: string;
const opened: NodeStore[] = [];
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'offset-store-via-')); path = join(dir, 'node.db'); });
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});
async function openStore(): Promise<NodeStore> {
  const s = await openNodeStore(path, { publicKey: key });
  opened.push(s);
  return s;
}

describe('history via', () => {
  it('survives the journal alone (no close) and a checkpoint, stored as decimal text', async () => {
    await initNodeDatabase(path, key);
    const s = await openStore();
    const big = (1n << 127n) + 3n;
    await s.appendHistory([received('a'), received('b', { time: 2000, amount: big, via: [{ friend: bob, amount: big }] })]);
    rmSync(storeFiles(path).lock); // as a crash would leave it: the journal carries the rows
    opened.splice(0);
    const again = await openStore();
    expect(again.queryHistory({ order: 'asc' })).toEqual([received('a'), received('b', { time: 2000, amount: big, via: [{ friend: bob, amount: big }] })]);
    await again.close();
    const SQL = await loadSqlJs();
    const db = new SQL.Database(readFileSync(path));
    expect(db.exec("SELECT via, typeof(via) FROM history WHERE id = 'b'")[0]?.values).toEqual([[`${bob}=${big}`, 'text']]);
    db.close();
  });

  it('is absent, not an empty list, on rows without it', async () => {
    await initNodeDatabase(path, key);
    const s = await openStore();
    const { via: _, ...plain } = received('p', { kind: 'payment', amount: -5n, state: 'success' });
    await s.appendHistory([plain]);
    expect(s.historyRow('p')).toEqual(plain);
    expect('via' in (s.historyRow('p') as object)).toBe(false);
  });

  it('rejects a bad via before anything is written', async () => {
    await initNodeDatabase(path, key);
    const s = await openStore();
    await expect(s.appendHistory([received('x', { via: [{ friend: bob, amount: 0n }] })])).rejects.toThrow(RangeError);
    await expect(s.appendHistory([received('x', { via: [{ friend: 'not a key!', amount: 1n }] })])).rejects.toThrow(TypeError);
    await expect(s.appendHistory([received('x', { via: Array.from({ length: 257 }, () => ({ friend: bob, amount: 1n })) })])).rejects.toThrow(RangeError);
    expect(s.countHistory()).toBe(0);
  });
});

describe('formatVia / parseVia', () => {
  it('round-trip, and refuse anything else', () => {
    const via = [{ friend: bob, amount: 1n }, { friend: carol, amount: (1n << 128n) - 1n }];
    expect(parseVia(formatVia(via))).toEqual(via);
    expect(parseVia('')).toEqual([]);
    expect(formatVia(undefined)).toBe('');
    for (const bad of [`${bob}=0`, `${bob}=-1`, `${bob}=01`, `${bob}`, `=5`, `${bob}=5,`, `${bob}=5;${carol}=1`, `a b=1`]) {
      expect(parseVia(bad)).toBeUndefined();
    }
  });
});

// ---- a database and a journal exactly as the schema-1 program wrote them ----

const dbId = new Uint8Array(16).fill(9);
const v1Row = struct({
  id: utf8({ maxBytes: 256 }), kind: utf8({ maxBytes: 64 }), time: u64, currency: utf8({ maxBytes: 64 }), amount: utf8({ maxBytes: 80 }),
  counterpart: option(utf8({ maxBytes: 256 })), state: utf8({ maxBytes: 64 }), data: bytes({ max: 1 << 20 }),
});
const v1Payload = list(struct({ records: list(bytes({ max: 1 << 20 }), { max: 1000 }), history: list(v1Row, { max: 1000 }) }), { max: 1000 });

function v1Journal(rows: { id: string; amount: string; time: number }[]): Uint8Array {
  const w = new Writer();
  w.bytes(new TextEncoder().encode('OFJRNL01'));
  w.bytes(dbId);
  w.u64(1n);
  const head = w.finish();
  const header = new Uint8Array(36);
  header.set(head);
  new DataView(header.buffer).setUint32(32, crc32(head), false);
  const payload = encode(v1Payload, [{
    records: [Uint8Array.of(7)],
    history: rows.map((r) => ({ id: r.id, kind: 'invoice', time: BigInt(r.time), currency: 'FST', amount: r.amount, counterpart: undefined, state: 'collected', data: Uint8Array.of(3) })),
  }]);
  const frame = new Uint8Array(12 + payload.length);
  const dv = new DataView(frame.buffer);
  dv.setUint32(0, payload.length, false);
  dv.setUint32(4, crc32(payload), false);
  dv.setUint32(8, crc32(frame, 0, 8), false);
  frame.set(payload, 12);
  const out = new Uint8Array(header.length + frame.length);
  out.set(header);
  out.set(frame, header.length);
  return out;
}

async function v1Database(): Promise<Uint8Array> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
  (MIGRATIONS[0] as (typeof MIGRATIONS)[number]).up(db);
  db.run('INSERT INTO meta (key, value) VALUES (?, ?), (?, ?), (?, ?), (?, ?), (?, ?)', [
    'magic', 'offset-desktop/node-db', 'public_key', key, 'db_id', dbId, 'generation', 1, 'schema_version', 1,
  ]);
  db.run('INSERT INTO history (id, kind, time, currency, amount, counterpart, state, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
    'invoice:old', 'invoice', 500, 'FST', '340282366920938463463374607431768211455', null, 'collected', Uint8Array.of(2),
  ]);
  const image = db.export();
  db.close();
  return image;
}

describe('a schema-1 database', () => {
  it('opens, migrates to the current schema and keeps its rows and its journal\'s rows, with no via', async () => {
    expect(SCHEMA_VERSION).toBe(2);
    writeFileSync(path, await v1Database());
    writeFileSync(storeFiles(path).journal, v1Journal([{ id: 'invoice:journal', amount: '77', time: 600 }]));
    const s = await openStore();
    expect(s.replay).toEqual([Uint8Array.of(7)]);
    expect(s.queryHistory({ order: 'asc' })).toEqual([
      { id: 'invoice:old', kind: 'invoice', time: 500, currency: 'FST', amount: (1n << 128n) - 1n, state: 'collected', data: Uint8Array.of(2) },
      { id: 'invoice:journal', kind: 'invoice', time: 600, currency: 'FST', amount: 77n, state: 'collected', data: Uint8Array.of(3) },
    ]);
    await s.appendHistory([received('new', { time: 700 })]);
    await s.close();
    opened.splice(0);

    const SQL = await loadSqlJs();
    const db = new SQL.Database(readFileSync(path));
    expect(db.exec("SELECT value FROM meta WHERE key = 'schema_version'")[0]?.values[0]?.[0]).toBe(2);
    expect(db.exec('SELECT id, via FROM history ORDER BY time')[0]?.values).toEqual([
      ['invoice:old', ''], ['invoice:journal', ''], ['new', formatVia(received('new').via)],
    ]);
    db.close();
    expect(new TextDecoder().decode(readFileSync(storeFiles(path).journal).subarray(0, 8))).toBe('OFJRNL02');
    const again = await openStore();
    expect(again.historyRow('new')).toEqual(received('new', { time: 700 }));
    expect(again.countHistory()).toBe(3);
  });
});
