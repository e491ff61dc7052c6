/** crypto.<backend>.<op>: ops/s per primitive per backend (shared/BENCH.md); x25519_ephemeral is extra:
 *  a fresh DH secret per op, what a secure-channel handshake pays. */
import { type CryptoBackend, nobleBackend } from '../src-core/crypto/index.ts';
import { nodeBackend } from '../src-core/crypto/backend.node.ts';
import { type BenchContext, opsPerSecond } from './figure.ts';

function measure(ctx: BenchContext, backend: CryptoBackend, label: string): void {
  const ms = ctx.quick ? 100 : 1000;
  const seed = backend.randomBytes(32);
  const msg = backend.randomBytes(200);
  const pk = backend.ed25519PublicKey(seed);
  const sig = backend.ed25519Sign(seed, msg);
  const xPriv = backend.randomBytes(32);
  const xPub = backend.x25519PublicKey(backend.randomBytes(32));
  const small = backend.randomBytes(64);
  const kib = backend.randomBytes(1024);
  const key = backend.randomBytes(32);
  const nonce = backend.randomBytes(12);
  const ops: Record<string, () => void> = {
    ed25519_sign: () => { backend.ed25519Sign(seed, msg); },
    ed25519_verify: () => { if (!backend.ed25519Verify(pk, msg, sig)) throw new Error('verify failed'); },
    x25519: () => { backend.x25519(xPriv, xPub); },
    // A handshake's fresh secret: its public key and one shared secret, no cache can help (key import)
    x25519_ephemeral: () => { const e = backend.randomBytes(32); backend.x25519PublicKey(e); backend.x25519(e, xPub); },
    sha512_256_64B: () => { backend.sha512_256(small); },
    chacha20poly1305_1KiB: () => { backend.aeadOpen(key, nonce, backend.aeadSeal(key, nonce, kib)); },
  };
  for (const [op, fn] of Object.entries(ops)) {
    const { value, n } = opsPerSecond(fn, ms);
    ctx.report({ figure: `crypto.${label}.${op}`, value, unit: 'ops/s', n, backend: label });
  }
}

export async function run(ctx: BenchContext): Promise<void> {
  measure(ctx, nodeBackend, 'node');
  measure(ctx, nobleBackend, 'noble');
}
