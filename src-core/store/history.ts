/** History rows: payments and invoices as the wallet lists them. Kept in a real SQL table,
 *  queryable by time range, kind, counterpart and state, with paging (docs/store.md). */
import type { Database, SqlValue, Statement } from 'sql.js';
import { type Codec, type Reader, U128_MAX, bytes, list, option, refine, struct, u64, utf8 } from '../codec/index.ts';

export interface HistoryRow {
  /** Unique; appending a row with an existing id replaces it (e.g. a payment changing state). */
  readonly id: string;
  readonly kind: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly currency: string;
  /** Stored as decimal TEXT, never REAL; may be negative. */
  readonly amount: bigint;
  readonly counterpart?: string;
  readonly state: string;
  /** Opaque, e.g. the encoded receipt. */
  readonly data: Uint8Array;
  /** A payment, or a collected invoice or received payment: the friends whose channels carried
   *  its parts (base64url keys, each once, sorted) and how much went through each. Absent (never
   *  an empty list) on other rows and on rows written before schema version 2. */
  readonly via?: readonly HistoryVia[];
}

/** One friend's share of a payment's parts. */
export interface HistoryVia {
  /** base64url public key of the friend. */
  readonly friend: string;
  /** Positive. */
  readonly amount: bigint;
}

export const HISTORY_LIMITS = { id: 256, kind: 64, currency: 64, counterpart: 256, state: 64, data: 1 << 20, via: 256, viaFriend: 64 } as const;

const DECIMAL = /^-?(0|[1-9][0-9]*)$/;
const POSITIVE = /^[1-9][0-9]{0,38}$/;
const VIA_FRIEND = /^[A-Za-z0-9_-]{1,64}$/;

const viaWire = struct({
  friend: utf8({ maxBytes: HISTORY_LIMITS.viaFriend }),
  amount: refine(utf8({ maxBytes: 40 }), (s) => (POSITIVE.test(s) && BigInt(s) <= U128_MAX ? undefined : 'via amount is not a positive u128')),
});

/** The journal's row before schema version 2 (journal magic OFJRNL01): no `via`. */
const wireV1 = struct({
  id: utf8({ maxBytes: HISTORY_LIMITS.id }),
  kind: utf8({ maxBytes: HISTORY_LIMITS.kind }),
  time: u64,
  currency: utf8({ maxBytes: HISTORY_LIMITS.currency }),
  amount: refine(utf8({ maxBytes: 80 }), (s) => (DECIMAL.test(s) && s !== '-0' ? undefined : 'amount is not a decimal integer')),
  counterpart: option(utf8({ maxBytes: HISTORY_LIMITS.counterpart })),
  state: utf8({ maxBytes: HISTORY_LIMITS.state }),
  data: bytes({ max: HISTORY_LIMITS.data }),
});

const wire = struct({
  row: wireV1,
  via: list(viaWire, { max: HISTORY_LIMITS.via }),
});

function toWireV1(v: HistoryRow): Parameters<typeof wireV1.encode>[1] {
  return {
    id: v.id, kind: v.kind, time: BigInt(v.time), currency: v.currency, amount: v.amount.toString(), counterpart: v.counterpart,
    state: v.state, data: v.data,
  };
}

function fromWireV1(r: Reader, v: ReturnType<typeof wireV1.decode>, via: readonly HistoryVia[]): HistoryRow {
  if (v.time > BigInt(Number.MAX_SAFE_INTEGER)) r.fail('invalid', 'time beyond the safe integer range');
  return toRow({ ...v, time: Number(v.time), amount: BigInt(v.amount), via });
}

/** A history row in the journal (magic OFJRNL02): the row, then its `via` list. */
export const historyRowCodec: Codec<HistoryRow> = {
  encode(w, v) {
    checkHistoryRow(v);
    wire.encode(w, { row: toWireV1(v), via: (v.via ?? []).map((x) => ({ friend: x.friend, amount: x.amount.toString() })) });
  },
  decode(r) {
    const v = wire.decode(r);
    return fromWireV1(r, v.row, v.via.map((x) => ({ friend: x.friend, amount: BigInt(x.amount) })));
  },
};

/** A row of a journal written before schema version 2 (magic OFJRNL01): read only. */
export const historyRowCodecV1: Codec<HistoryRow> = {
  encode() {
    throw new TypeError('journals are written in the current format only');
  },
  decode(r) {
    return fromWireV1(r, wireV1.decode(r), []);
  },
};

export const historyRowsCodec = list(historyRowCodec, { max: 1_000_000 });
export const historyRowsCodecV1 = list(historyRowCodecV1, { max: 1_000_000 });

function toRow(v: {
  id: string; kind: string; time: number; currency: string; amount: bigint; counterpart: string | undefined; state: string; data: Uint8Array;
  via: readonly HistoryVia[];
}): HistoryRow {
  const { counterpart, via, ...rest } = v;
  return {
    ...rest,
    ...(counterpart === undefined ? {} : { counterpart }),
    ...(via.length === 0 ? {} : { via }),
  };
}

/** The `via` column: `friend=amount` entries joined by `,` (base64url keys and decimal amounts
 *  hold neither character); '' for none. */
export function formatVia(via: readonly HistoryVia[] | undefined): string {
  return (via ?? []).map((x) => `${x.friend}=${x.amount.toString()}`).join(',');
}

const VIA_ENTRY = /^([A-Za-z0-9_-]{1,64})=([1-9][0-9]{0,38})$/;

/** Reads the `via` column back; undefined when it is not in the format formatVia writes. */
export function parseVia(text: string): HistoryVia[] | undefined {
  if (text === '') return [];
  const out: HistoryVia[] = [];
  for (const part of text.split(',')) {
    const m = VIA_ENTRY.exec(part);
    if (m === null || out.length >= HISTORY_LIMITS.via) return undefined;
    out.push({ friend: m[1] as string, amount: BigInt(m[2] as string) });
  }
  return out;
}

const textEncoder = new TextEncoder();

/** Programmer errors in a row throw TypeError/RangeError before anything is written (STYLE §5). */
export function checkHistoryRow(v: HistoryRow): void {
  if (typeof v !== 'object' || v === null) throw new TypeError('history row: object expected');
  const str = (name: string, s: unknown, max: number): void => {
    if (typeof s !== 'string') throw new TypeError(`history row ${name}: string expected`);
    if (textEncoder.encode(s).length > max) throw new RangeError(`history row ${name}: longer than ${max} bytes`);
  };
  str('id', v.id, HISTORY_LIMITS.id);
  str('kind', v.kind, HISTORY_LIMITS.kind);
  str('currency', v.currency, HISTORY_LIMITS.currency);
  str('state', v.state, HISTORY_LIMITS.state);
  if (v.counterpart !== undefined) str('counterpart', v.counterpart, HISTORY_LIMITS.counterpart);
  if (typeof v.time !== 'number' || !Number.isSafeInteger(v.time) || v.time < 0) throw new RangeError('history row time: non-negative integer milliseconds expected');
  if (typeof v.amount !== 'bigint') throw new TypeError('history row amount: bigint expected');
  if (!(v.data instanceof Uint8Array)) throw new TypeError('history row data: Uint8Array expected');
  if (v.data.length > HISTORY_LIMITS.data) throw new RangeError(`history row data: longer than ${HISTORY_LIMITS.data} bytes`);
  if (v.via !== undefined) {
    if (!Array.isArray(v.via)) throw new TypeError('history row via: array expected');
    if (v.via.length > HISTORY_LIMITS.via) throw new RangeError(`history row via: more than ${HISTORY_LIMITS.via} friends`);
    for (const x of v.via) {
      if (typeof x?.friend !== 'string' || !VIA_FRIEND.test(x.friend)) throw new TypeError('history row via friend: base64url key expected');
      if (typeof x.amount !== 'bigint' || x.amount <= 0n || x.amount > U128_MAX) throw new RangeError('history row via amount: positive u128 expected');
    }
  }
}

export const UPSERT_HISTORY_SQL =
  'INSERT OR REPLACE INTO history (id, kind, time, currency, amount, counterpart, state, data, via) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';

export function historyParams(v: HistoryRow): SqlValue[] {
  return [v.id, v.kind, v.time, v.currency, v.amount.toString(), v.counterpart ?? null, v.state, v.data, formatVia(v.via)];
}

export interface HistoryQuery {
  /** Inclusive lower bound, ms. */
  readonly from?: number;
  /** Exclusive upper bound, ms. */
  readonly to?: number;
  readonly kind?: string;
  readonly counterpart?: string;
  readonly currency?: string;
  readonly state?: string;
  /** 'desc' (newest first, the default) or 'asc'. Ties are ordered by id. */
  readonly order?: 'asc' | 'desc';
  /** Keyset paging: rows strictly after this one in the chosen order (pass the last row of a page). */
  readonly after?: { readonly time: number; readonly id: string };
  /** At most this many rows; default 100, at most 10,000. */
  readonly limit?: number;
}

export const MAX_HISTORY_PAGE = 10_000;

function where(q: HistoryQuery, withCursor: boolean): { sql: string; params: SqlValue[] } {
  const conds: string[] = [];
  const params: SqlValue[] = [];
  if (q.from !== undefined) { conds.push('time >= ?'); params.push(q.from); }
  if (q.to !== undefined) { conds.push('time < ?'); params.push(q.to); }
  if (q.kind !== undefined) { conds.push('kind = ?'); params.push(q.kind); }
  if (q.counterpart !== undefined) { conds.push('counterpart = ?'); params.push(q.counterpart); }
  if (q.currency !== undefined) { conds.push('currency = ?'); params.push(q.currency); }
  if (q.state !== undefined) { conds.push('state = ?'); params.push(q.state); }
  if (withCursor && q.after !== undefined) {
    const op = q.order === 'asc' ? '>' : '<';
    conds.push(`(time ${op} ? OR (time = ? AND id ${op} ?))`);
    params.push(q.after.time, q.after.time, q.after.id);
  }
  return { sql: conds.length === 0 ? '' : `WHERE ${conds.join(' AND ')}`, params };
}

const COLUMNS = 'id, kind, time, currency, amount, counterpart, state, data, via';

/** A `via` value not in formatVia's format (only a hand-edited database has one) reads as none. */
function rowFrom(r: SqlValue[]): HistoryRow {
  return toRow({
    id: r[0] as string, kind: r[1] as string, time: r[2] as number, currency: r[3] as string,
    amount: BigInt(r[4] as string), counterpart: r[5] === null ? undefined : (r[5] as string),
    state: r[6] as string, data: r[7] as Uint8Array, via: (typeof r[8] === 'string' ? parseVia(r[8]) : undefined) ?? [],
  });
}

export function queryHistoryRows(db: Database, q: HistoryQuery): HistoryRow[] {
  const limit = q.limit ?? 100;
  if (!Number.isSafeInteger(limit) || limit < 0 || limit > MAX_HISTORY_PAGE) throw new RangeError(`history limit must be 0..${MAX_HISTORY_PAGE}`);
  const dir = q.order === 'asc' ? 'ASC' : 'DESC';
  const w = where(q, true);
  const stmt = db.prepare(
    `SELECT ${COLUMNS} FROM history ${w.sql} ORDER BY time ${dir}, id ${dir} LIMIT ?`,
  );
  try {
    stmt.bind([...w.params, limit]);
    const out: HistoryRow[] = [];
    while (stmt.step()) out.push(rowFrom(stmt.get()));
    return out;
  } finally {
    stmt.free();
  }
}

export const SELECT_HISTORY_ROW_SQL = `SELECT ${COLUMNS} FROM history WHERE id = ?`;

/** With `prepared` (SELECT_HISTORY_ROW_SQL, kept by the caller), no statement is compiled per call:
 *  the node looks a payment's row up on every step that touches it. */
export function historyRowById(db: Database, id: string, prepared?: Statement): HistoryRow | undefined {
  const stmt = prepared ?? db.prepare(SELECT_HISTORY_ROW_SQL);
  try {
    stmt.bind([id]);
    if (!stmt.step()) return undefined;
    return rowFrom(stmt.get());
  } finally {
    if (prepared === undefined) stmt.free();
    else stmt.reset();
  }
}

export function countHistoryRows(db: Database, q: Omit<HistoryQuery, 'after' | 'limit' | 'order'>): number {
  const w = where(q, false);
  return db.exec(`SELECT count(*) FROM history ${w.sql}`, w.params)[0]?.values[0]?.[0] as number;
}
