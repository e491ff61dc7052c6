/** Helpers for fuzzing live endpoints over real TCP: start one of the real programs, throw raw
 *  bytes at a port and see whether the server hangs up, open an authenticated secure channel and
 *  speak garbage inside it. Everything started here is stopped by `stop()`. */
import { type ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Signer } from '../../src-core/crypto/index.ts';
import { nodeBackend } from '../../src-core/crypto/backend.node.ts';
import { type SecureChannel, secureChannel, systemClock } from '../../src-core/net/index.ts';
import { parseHostPort, tcpConnect } from '../../src-core/net/tcp.node.ts';

export interface Program {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<number | string>;
  stop(): Promise<void>;
}

export function startProgram(program: string, args: readonly string[], cwd: string): Program {
  const bin = fileURLToPath(new URL(`../../bin/${program}.js`, import.meta.url));
  const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => { out += d; });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => { err = (err + d).slice(-200_000); });
  const exited = new Promise<number | string>((r) => child.once('exit', (code, sig) => r(code ?? sig ?? -1)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Waits (bounded) until `pattern` shows on stdout; returns its first group. */
export async function waitForOutput(p: Program, pattern: RegExp, ms = 30_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = pattern.exec(p.stdout());
    if (m !== null) return m[1] ?? m[0];
    if (Date.now() > deadline || p.child.exitCode !== null) throw new Error(`no ${String(pattern)} on stdout; stderr: ${p.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export type ProbeOutcome = 'closed' | 'open' | 'refused';

/** Connects, writes `bytes` (all at once or in the given chunks), and reports whether the server
 *  hung up within `ms`. The socket is destroyed before this returns. */
export function probe(address: string, bytes: Uint8Array | readonly Uint8Array[], ms: number): Promise<ProbeOutcome> {
  const { host, port } = parseHostPort(address);
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    let done = false;
    const finish = (o: ProbeOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      resolve(o);
    };
    const timer = setTimeout(() => finish('open'), ms);
    s.on('error', (e: NodeJS.ErrnoException) => finish(e.code === 'ECONNREFUSED' ? 'refused' : 'closed'));
    s.on('close', () => finish('closed'));
    s.on('end', () => finish('closed'));
    s.on('data', () => {}); // the server's prologue and handshake: read and ignore
    s.on('connect', () => {
      for (const b of bytes instanceof Uint8Array ? [bytes] : bytes) s.write(b);
    });
  });
}

/** An authenticated secure channel to `address` as `identity` (a fuzzer with a real key). */
export async function openChannel(address: string, identity: Signer, remote: Uint8Array): Promise<SecureChannel> {
  const t = await tcpConnect(address);
  return secureChannel(t, { identity, crypto: nodeBackend, clock: systemClock, expectedRemote: remote });
}

/** Whether `ch` closes within `ms` (bounded wait on its own close promise). */
export async function closesWithin(ch: SecureChannel, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const r = await Promise.race([ch.closed.then(() => true), new Promise<boolean>((res) => { timer = setTimeout(() => res(false), ms); })]);
  clearTimeout(timer);
  return r;
}
