/** stctrl's history commands (docs/app-protocol.md "stctrl"): `info history` lists the node's
 *  history rows (query-history, newest first), `info statement` writes a verifiable statement
 *  for one friend and currency (docs/files.md "Statement"). */
import { type AppClient, type HistoryEntry, formatTable, printable } from '../app/index.ts';
import { toBase64Url } from '../codec/index.ts';
import { exportStatement, formatStatement } from '../statement/index.ts';
import { type CommandSpec, type OptionSpec, type Parsed, CliError, UsageError } from './args.ts';
import { writeFile } from 'node:fs/promises';

const DAY = 86_400_000;
const force: OptionSpec = { long: 'force', flag: true, help: 'replace the output file if it exists' };

export const historyCommand: CommandSpec = {
  name: 'history', help: 'list payments and invoices, newest first', options: [
    { long: 'kind', short: 'k', value: 'KIND', help: 'payment, invoice or received' },
    { long: 'currency', short: 'c', value: 'CUR', help: 'only this currency' },
    { long: 'limit', value: 'N', help: 'at most N rows (default 20, at most 256)' },
  ],
};

export const statementCommand: CommandSpec = {
  name: 'statement', help: 'write a verifiable statement with one friend (check it with stverify statement)', options: [
    { long: 'name', short: 'n', value: 'NAME', required: true, help: 'the friend' },
    { long: 'currency', short: 'c', value: 'CUR', help: 'the currency (default FST)' },
    { long: 'from', value: 'YYYY-MM-DD', help: 'first day, UTC (default: the first of this month)' },
    { long: 'to', value: 'YYYY-MM-DD', help: 'last day, UTC, inclusive (default: today)' },
    { long: 'output', short: 'o', value: 'FILE', required: true, help: 'the statement file to write' }, force,
  ],
};

/** `through`: the friends whose channels carried the row's parts (its via), by name where
 *  `nameOf` knows the key, with the amount through each when there are several. */
export function formatHistory(rows: readonly HistoryEntry[], nameOf: (key: string) => string | undefined = () => undefined): string {
  if (rows.length === 0) return 'No history.\n';
  const through = (r: HistoryEntry): string => {
    const names = r.via.map((v) => ({ name: nameOf(v.friend) ?? v.friend, amount: v.amount }));
    return names.length === 1 ? names[0]?.name ?? '' : names.map((v) => `${v.name}=${v.amount}`).join(', ');
  };
  return formatTable(['time (UTC)', 'kind', 'currency', 'amount', 'state', 'counterpart', 'through'], rows.map((r) => [
    new Date(r.time).toISOString().replace(/\.\d{3}Z$/, 'Z'), printable(r.kind), printable(r.currency), r.amount.toString(), printable(r.state),
    printable(r.counterpart ?? ''), printable(through(r)),
  ]));
}

function day(text: string, what: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const ms = m === null ? NaN : Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== text) throw new UsageError(`--${what} must be a day like 2026-11-01`);
  return ms;
}

export async function runHistory(client: AppClient, p: Parsed, out: (s: string) => void): Promise<void> {
  const limitText = p.values.get('limit') ?? '20';
  if (!/^[1-9][0-9]{0,2}$/.test(limitText) || Number(limitText) > 256) throw new UsageError('--limit must be 1..256');
  const page = await client.queryHistory({ kind: p.values.get('kind'), currency: p.values.get('currency'), limit: Number(limitText) });
  const names = new Map(client.report.friends.map((f) => [toBase64Url(f.publicKey), f.name]));
  out(formatHistory(page.rows, (key) => names.get(key)));
}

export async function runStatement(client: AppClient, p: Parsed, out: (s: string) => void, now: number): Promise<void> {
  const name = p.values.get('name') ?? '';
  const friend = client.report.friends.find((f) => f.name === name);
  if (friend === undefined) throw new CliError(`no friend named ${JSON.stringify(name)} (see info friends)`);
  const d = new Date(now);
  const from = p.values.has('from') ? day(p.values.get('from') as string, 'from') : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const to = (p.values.has('to') ? day(p.values.get('to') as string, 'to') : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())) + DAY;
  if (to <= from) throw new UsageError('the period ends before it starts');
  const { statement, unbacked } = await exportStatement(client, { friend: friend.publicKey, currency: p.values.get('currency') ?? 'FST', from, to, now });
  const path = p.values.get('output') ?? '';
  if (path === '') throw new UsageError('the output file name is empty');
  try {
    await writeFile(path, formatStatement(statement), { flag: p.flags.has('force') ? 'w' : 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(code === 'EEXIST' ? `${path} exists (use --force to replace it)` : `cannot write ${path}: ${(e as Error).message}`);
  }
  const lines = statement.csv.trimEnd().split('\n').length - 1;
  out(`Statement written: ${lines} ${lines === 1 ? 'line' : 'lines'}${unbacked.length > 0 ? ` (${unbacked.length} without a signed artifact left out)` : ''}.`);
}
