/** A small declarative argument parser shared by every program: subcommands, `--long value`,
 *  `--long=value`, `-s value`, boolean flags, `--help` and `-V`. Errors are UsageError. */

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure the user can act on: printed as one line on stderr, exit code 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

export interface OptionSpec {
  readonly long: string;
  readonly short?: string;
  /** Boolean flags take no value. */
  readonly flag?: boolean;
  readonly required?: boolean;
  /** Name of the value in help text. */
  readonly value?: string;
  readonly help: string;
}

export interface CommandSpec {
  readonly name: string;
  readonly help: string;
  readonly options: readonly OptionSpec[];
  /** Nested subcommands (e.g. `stctrl info friends`). */
  readonly commands?: readonly CommandSpec[];
}

export interface Parsed {
  /** The subcommand path, e.g. ['info', 'friends']. */
  readonly path: readonly string[];
  readonly values: ReadonlyMap<string, string>;
  readonly flags: ReadonlySet<string>;
  readonly help: boolean;
  readonly version: boolean;
}

function findOption(spec: CommandSpec, arg: string): OptionSpec | undefined {
  if (arg.startsWith('--')) return spec.options.find((o) => o.long === arg.slice(2));
  return spec.options.find((o) => o.short !== undefined && o.short === arg.slice(1));
}

function isOptionWord(spec: CommandSpec, word: string): boolean {
  if (['--help', '-h', '--version', '-V'].includes(word)) return true;
  const name = word.startsWith('--') && word.includes('=') ? word.slice(0, word.indexOf('=')) : word;
  return findOption(spec, name) !== undefined;
}

export function parseArgs(root: CommandSpec, argv: readonly string[]): Parsed {
  const path: string[] = [];
  const values = new Map<string, string>();
  const flags = new Set<string>();
  let spec = root;
  let help = false;
  let version = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') { help = true; continue; }
    if (arg === '--version' || arg === '-V') { version = true; continue; }
    if (arg.startsWith('-') && arg.length > 1) {
      const eq = arg.indexOf('=');
      const name = eq > 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg;
      const opt = findOption(spec, name);
      if (opt === undefined) throw new UsageError(`unknown option ${name}${path.length ? ` for '${path.join(' ')}'` : ''}`);
      if (opt.flag) {
        if (eq > 0 && arg.startsWith('--')) throw new UsageError(`option --${opt.long} takes no value`);
        flags.add(opt.long);
        continue;
      }
      let value: string | undefined;
      if (eq > 0 && arg.startsWith('--')) value = arg.slice(eq + 1);
      else {
        value = argv[i + 1];
        // The next word is a value unless it names an option: keys in base64url may start with
        // '-', and balances may be negative (--balance -100).
        if (value === undefined || isOptionWord(spec, value)) {
          throw new UsageError(`option --${opt.long} needs a value`);
        }
        i++;
      }
      if (values.has(opt.long)) throw new UsageError(`option --${opt.long} given twice`);
      values.set(opt.long, value);
      continue;
    }
    const sub = spec.commands?.find((c) => c.name === arg);
    if (sub === undefined) {
      throw new UsageError(spec.commands ? `unknown command '${arg}'` : `unexpected argument '${arg}'`);
    }
    spec = sub;
    path.push(arg);
  }
  if (!help && !version) {
    if (spec.commands && spec.commands.length > 0) {
      throw new UsageError(`missing command${path.length ? ` after '${path.join(' ')}'` : ''}: one of ${spec.commands.map((c) => c.name).join(', ')}`);
    }
    for (const o of spec.options) {
      if (o.required && !values.has(o.long)) throw new UsageError(`missing required option --${o.long}`);
    }
  }
  return { path, values, flags, help, version };
}

export function helpText(program: string, root: CommandSpec, path: readonly string[]): string {
  let spec = root;
  for (const p of path) spec = spec.commands?.find((c) => c.name === p) ?? spec;
  const lines = [`${[program, ...path].join(' ')}: ${spec.help}`, ''];
  if (spec.commands?.length) {
    lines.push('Commands:');
    for (const c of spec.commands) lines.push(`  ${c.name.padEnd(22)} ${c.help}`);
    lines.push('');
  }
  const opts = [...spec.options, { long: 'help', short: 'h', flag: true, help: 'print this help' }];
  if (path.length === 0) opts.push({ long: 'version', short: 'V', flag: true, help: 'print the version' });
  lines.push('Options:');
  for (const o of opts) {
    const left = `${o.short ? `-${o.short}, ` : '    '}--${o.long}${o.flag ? '' : ` <${o.value ?? 'value'}>`}`;
    lines.push(`  ${left.padEnd(30)} ${o.help}${o.required ? ' (required)' : ''}`);
  }
  return lines.join('\n');
}
