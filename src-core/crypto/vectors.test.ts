/** Published test vectors, run against both backends. Expected values are the RFC/FIPS ones;
 *  HMAC values for SHA-512/256 (no published set) were computed with `openssl dgst -sha512-256
 *  -mac HMAC` on RFC 4231's inputs (docs/crypto.md). */
import { describe, expect, it } from 'vitest';
import { nodeBackend } from './backend.node.ts';
import { type CryptoBackend, nobleBackend } from './index.ts';

const backends: readonly [string, CryptoBackend][] = [['node', nodeBackend], ['noble', nobleBackend]];
const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

const ED25519 = [
  {
    name: 'RFC 8032 TEST 1 (empty message)',
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'RFC 8032 TEST 2 (1 byte)',
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    name: 'RFC 8032 TEST 3 (2 bytes)',
    seed: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
  {
    name: 'RFC 8032 TEST SHA(abc) (64 bytes)',
    seed: '833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42',
    publicKey: 'ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf',
    message: 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    signature: 'dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704',
  },
] as const;

const SHA512_256 = [
  { name: 'FIPS 180-4 "abc"', input: ascii('abc'), digest: '53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23' },
  {
    name: 'FIPS 180-4 896-bit two-block message',
    input: ascii('abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu'),
    digest: '3928e184fb8690f840da3988121d31be65cb9d3ef83ee6146feac861e19b563a',
  },
  { name: 'empty input', input: new Uint8Array(0), digest: 'c672b8d1ef56ed28ab87c3622c5114069bdd3ad7b8f9737498d0c01ecef0967a' },
  // The original's hash_basic test (reference/funder.md §0.1); a truncated SHA-512 gives d4d6331e…
  { name: 'offset hash_basic "This is a test!"', input: ascii('This is a test!'), digest: '349c7ea7498d0432dcb0604a9ed37a8b65a90bfa166c91475f072a29e42da1fb' },
] as const;

const HMAC = [
  { name: 'RFC 4231 case 1 inputs', key: hex('0b'.repeat(20)), data: ascii('Hi There'), mac: '9f9126c3d9c3c330d760425ca8a217e31feae31bfe70196ff81642b868402eab' },
  { name: 'RFC 4231 case 2 inputs (key "Jefe")', key: ascii('Jefe'), data: ascii('what do ya want for nothing?'), mac: '6df7b24630d5ccb2ee335407081a87188c221489768fa2020513b2d593359456' },
  {
    name: 'RFC 4231 case 6 inputs (131-byte key, hashed first)', key: hex('aa'.repeat(131)),
    data: ascii('Test Using Larger Than Block-Size Key - Hash Key First'), mac: '87123c45f7c537a404f8f47cdbedda1fc9bec60eeb971982ce7ef10e774e6539',
  },
] as const;

describe.each(backends)('%s backend against published vectors', (_name, backend) => {
  it.each(ED25519)('derives the public key and signature of $name', (v) => {
    expect(toHex(backend.ed25519PublicKey(hex(v.seed)))).toBe(v.publicKey);
    expect(toHex(backend.ed25519Sign(hex(v.seed), hex(v.message)))).toBe(v.signature);
    expect(backend.ed25519Verify(hex(v.publicKey), hex(v.message), hex(v.signature))).toBe(true);
  });

  it.each(ED25519)('rejects $name with one signature bit flipped or another message', (v) => {
    const sig = hex(v.signature);
    for (const at of [0, 31, 32, 63]) {
      const bad = Uint8Array.from(sig);
      bad[at] = (bad[at] as number) ^ 0x01;
      expect(backend.ed25519Verify(hex(v.publicKey), hex(v.message), bad)).toBe(false);
    }
    expect(backend.ed25519Verify(hex(v.publicKey), Uint8Array.of(...hex(v.message), 0), sig)).toBe(false);
  });

  it.each([
    {
      name: 'RFC 7748 §5.2 first',
      scalar: 'a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4',
      u: 'e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c',
      out: 'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552',
    },
    {
      name: 'RFC 7748 §5.2 second (u with the top bit set, which is masked)',
      scalar: '4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d',
      u: 'e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493',
      out: '95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957',
    },
  ])('computes X25519 for $name', (v) => {
    expect(toHex(backend.x25519(hex(v.scalar), hex(v.u)))).toBe(v.out);
  });

  it('computes X25519 iterated 1 and 1000 times (RFC 7748 §5.2)', () => {
    let k: Uint8Array = hex('09' + '00'.repeat(31));
    let u: Uint8Array = Uint8Array.from(k);
    for (let i = 1; i <= 1000; i++) {
      const next = backend.x25519(k, u);
      u = k;
      k = next;
      if (i === 1) expect(toHex(k)).toBe('422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079');
    }
    expect(toHex(k)).toBe('684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51');
  });

  it('derives the Alice/Bob keys and shared secret of RFC 7748 §6.1', () => {
    const alice = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    const bob = hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
    const alicePub = backend.x25519PublicKey(alice);
    const bobPub = backend.x25519PublicKey(bob);
    expect(toHex(alicePub)).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(toHex(bobPub)).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    expect(toHex(backend.x25519(alice, bobPub))).toBe(shared);
    expect(toHex(backend.x25519(bob, alicePub))).toBe(shared);
  });

  it.each(SHA512_256)('hashes $name with SHA-512/256', (v) => {
    expect(toHex(backend.sha512_256(v.input))).toBe(v.digest);
  });

  it('hashes a 1 MiB input the same way in one call as openssl (a million "a"s)', () => {
    // FIPS 180-4 long-message vector input; value from `openssl dgst -sha512-256`
    expect(toHex(backend.sha512_256(new Uint8Array(1_000_000).fill(0x61))))
      .toBe('9a59a052930187a97038cae692f30708aa6491923ef5194394dc68d56c74fb21');
  });

  it.each(HMAC)('computes HMAC-SHA-512/256 for $name', (v) => {
    expect(toHex(backend.hmacSha512_256(v.key, v.data))).toBe(v.mac);
  });

  it('seals and opens the RFC 8439 §2.8.2 ChaCha20-Poly1305 vector', () => {
    const key = hex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
    const nonce = hex('070000004041424344454647');
    const aad = hex('50515253c0c1c2c3c4c5c6c7');
    const plaintext = ascii("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
    const ciphertext = 'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b'
      + '1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116';
    const tag = '1ae10b594f09e26a7e902ecbd0600691';
    const sealed = backend.aeadSeal(key, nonce, plaintext, aad);
    expect(toHex(sealed)).toBe(ciphertext + tag);
    expect(backend.aeadOpen(key, nonce, sealed, aad)).toEqual(plaintext);
  });
});
