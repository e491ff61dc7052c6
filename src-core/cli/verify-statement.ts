/** `stverify statement FILE`: checks a statement offline (docs/files.md "Statement") and prints
 *  one OK/FAILED line per CSV line, the balance, and the verdict; exits 1 on any failure. */
import { readFile } from 'node:fs/promises';
import { nodeBackend } from '../crypto/backend.node.ts';
import { MAX_STATEMENT_FILE_CHARS, formatStatementCheck, parseStatement, verifyStatement } from '../statement/index.ts';
import { type CommandSpec, type Parsed, CliError, UsageError } from './args.ts';

export const verifyStatementCommand: CommandSpec = {
  name: 'statement',
  help: 'check a statement file: every line against its signed artifact, the closing balance against the friend\'s token',
  options: [{ long: 'file', short: 'f', value: 'FILE', required: true, help: 'the statement file (also accepted as the only argument)' }],
};

/** `statement FILE` is `statement -f FILE`. */
export function statementArgv(argv: readonly string[]): string[] {
  if (argv[0] === 'statement' && argv.length === 2 && argv[1] !== undefined && !argv[1].startsWith('-')) return ['statement', '-f', argv[1]];
  return [...argv];
}

export async function verifyStatementFile(p: Parsed, out: (text: string) => void): Promise<number> {
  const path = p.values.get('file');
  if (path === undefined || path === '') throw new UsageError('missing the statement file');
  let text: string;
  try {
    const buf = await readFile(path);
    if (buf.length > MAX_STATEMENT_FILE_CHARS * 4) throw new CliError(`${path}: too large for a statement`);
    text = buf.toString('utf8');
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const s = parseStatement(text);
  if (!s.ok) throw new CliError(`${path}: not a valid statement file: ${s.error}`);
  const check = verifyStatement(nodeBackend, s.value);
  for (const line of formatStatementCheck(check)) out(line);
  return check.ok ? 0 : 1;
}
