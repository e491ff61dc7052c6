/** Browser-safe crypto: the backend interface, the noble backend and helpers.
 *  Node code gets the fast backend from `./backend.node.ts`. */
export * from './backend.ts';
export { nobleBackend } from './noble.ts';
export { hkdfSha512_256 } from './hkdf.ts';
export { type Signer, identityFromSeed, comparePublicKeys, compareBytes, bytesEqual } from './identity.ts';
export { seededRandom } from './seeded-random.ts';
