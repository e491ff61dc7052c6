/** The common shell of every command-line program: parse, print help/version, run, and turn
 *  errors into one line on stderr with a non-zero exit code. */
import { readFileSync } from 'node:fs';
import { type CommandSpec, CliError, type Parsed, UsageError, helpText, parseArgs } from './args.ts';

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Runs `handler` for the parsed command; returns the process exit code. */
export async function runProgram(
  program: string,
  spec: CommandSpec,
  argv: readonly string[],
  handler: (parsed: Parsed, io: Io) => Promise<number | void> | number | void,
  io: Io = processIo,
): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parseArgs(spec, argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${program}: ${e.message} (see '${program} --help')`);
      return EXIT_USAGE;
    }
    throw e;
  }
  if (parsed.version) { io.out(`${program} ${packageVersion()}`); return EXIT_OK; }
  if (parsed.help) { io.out(helpText(program, spec, parsed.path)); return EXIT_OK; }
  try {
    return (await handler(parsed, io)) ?? EXIT_OK;
  } catch (e) {
    if (e instanceof CliError || e instanceof UsageError) {
      io.err(`${program}: ${e.message}`);
      return e instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      io.err(`${program}: ${(e as Error).message}`);
      return EXIT_FAILURE;
    }
    throw e;
  }
}

/** Resolves with the signal's name at the first SIGINT or SIGTERM: how a server program learns to
 *  shut down gracefully. Its handlers are removed once it fires. */
export function untilStopSignal(): Promise<string> {
  return new Promise<string>((resolve) => {
    const onSignal = (sig: string): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(sig);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
