/** Command line access to a card (`cli.enable` / `cli.disable`, docs/wallet.md): the address
 *  the card listens on for `stctrl`, and the exact command a person runs with the files the host
 *  wrote. Pure. */
import { parseNetAddress } from '../../src-core/files/index.ts';
import type { CliAccess, Result } from '../../src-main/bridge.ts';

/** Loopback with a port the system picks: only programs on this computer can reach it. */
export const DEFAULT_CLI_ADDRESS = '127.0.0.1:0';

/** HOST:PORT; port 0 lets the system pick a free port. */
export function parseCliAddress(text: string): Result<string, string> {
  const t = text.trim();
  if (t === '') return { ok: true, value: DEFAULT_CLI_ADDRESS };
  const check = parseNetAddress(t.endsWith(':0') ? `${t.slice(0, -2)}:1` : t);
  if (!check.ok) return { ok: false, error: `The address: ${check.problem}. For example 127.0.0.1:0 (the system picks the port).` };
  return { ok: true, value: t };
}

/** A path as one shell word: plain paths as they are, others in single quotes (POSIX sh). */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `stctrl -I <app identity> -T <node ticket> info friends`, as the tutorial runs it. */
export function stctrlCommand(access: CliAccess, subcommand = 'info friends'): string {
  return `stctrl -I ${shellWord(access.appIdent)} -T ${shellWord(access.nodeTicket)} ${subcommand}`;
}
