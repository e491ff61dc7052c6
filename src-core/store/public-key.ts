/** Checks and shows the 32-byte identity a node database is bound to. */

export function checkPublicKey(publicKey: Uint8Array): void {
  if (!(publicKey instanceof Uint8Array)) throw new TypeError('publicKey: Uint8Array expected');
  if (publicKey.length !== 32) throw new RangeError(`publicKey: expected 32 bytes, got ${publicKey.length}`);
}

export const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
