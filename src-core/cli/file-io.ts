/** File reading and writing for the command-line programs: the files module's Results turned
 *  into CliError (one line on stderr, exit 1). */
import type { Result } from '../codec/index.ts';
import type { FileError, FileKind } from '../files/index.ts';
import { readFileAs, writeFileAtomic } from '../files/fs.node.ts';
import { CliError, UsageError } from './args.ts';

export async function loadFile<T>(path: string, kind: FileKind, parse: (text: string) => Result<T, FileError>): Promise<T> {
  if (path === '') throw new UsageError('a file name is empty');
  const r = await readFileAs(path, kind, parse);
  if (!r.ok) throw new CliError(r.error.message);
  return r.value;
}

/** Writes atomically; an existing file is replaced only with `force` (the programs' --force). */
export async function saveFile(path: string, kind: FileKind, text: string, force: boolean): Promise<void> {
  if (path === '') throw new UsageError('the output file name is empty');
  const r = await writeFileAtomic(path, kind, text, { overwrite: force });
  if (!r.ok) throw new CliError(r.error.code === 'exists' ? `${r.error.message} (use --force to replace it)` : r.error.message);
}
