/** A real `strelay` process on a free loopback port, for the benchmarks that measure a relay. */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBackend as crypto } from '../src-core/crypto/backend.node.ts';
import { formatIdent, identFromSeed } from '../src-core/files/index.ts';

export interface StrelayProcess {
  readonly child: ChildProcess;
  readonly address: string;
  readonly publicKey: Uint8Array;
}

/** Writes a fresh relay identity into `dir` and resolves once strelay says where it listens. */
export async function startStrelay(dir: string): Promise<StrelayProcess> {
  const seed = crypto.randomBytes(32);
  await writeFile(join(dir, 'relay.ident'), formatIdent(identFromSeed(crypto, seed)), { mode: 0o600 });
  const bin = fileURLToPath(new URL('../bin/strelay.js', import.meta.url));
  const child = spawn(process.execPath, [bin, '--idfile', join(dir, 'relay.ident'), '--laddr', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m !== null) resolve(m[1] as string);
    });
    child.on('exit', (code) => reject(new Error(`strelay exited with ${code}`)));
  });
  return { child, address, publicKey: crypto.ed25519PublicKey(seed) };
}
