/** Public keys as map keys: a 32-byte key becomes a 64-character lowercase hex string. */

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function keyId(publicKey: Uint8Array): string {
  let s = '';
  for (let i = 0; i < publicKey.length; i++) s += HEX[publicKey[i] as number];
  return s;
}

export function keyFromId(id: string): Uint8Array {
  const out = new Uint8Array(id.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(id.slice(2 * i, 2 * i + 2), 16);
  return out;
}
