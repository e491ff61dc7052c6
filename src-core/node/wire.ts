/** What the node itself adds on top of the funder (docs/node.md): the tagged journal records
 *  (funder mutations and the node's own configuration), the node configuration snapshot, and
 *  the friend-to-friend envelope that carries the funder's messages and our credit terms. */
import { type Codec, bool, decodeExact, encode, list, struct, u128, union } from '../codec/index.ts';
import type { Result } from '../codec/index.ts';
import type { DecodeError } from '../codec/index.ts';
import { type FriendMessage, MAX_ACTIVE_CURRENCIES, currency, friendMessage, publicKey } from '../proto/index.ts';
import { type FunderMutation, funderMutationCodec } from '../funder/index.ts';
import { MAX_FRIENDS, type NamedIndexServerAddress, namedIndexServerList } from '../app/index.ts';

/** The node's own configuration (the funder keeps relays and friends). */
export interface NodeConfig {
  readonly indexServers: readonly NamedIndexServerAddress[];
  /** Friends in the order they were added (the funder's map is keyed, its snapshot sorted). */
  readonly friendOrder: readonly Uint8Array[];
}
export const emptyNodeConfig: NodeConfig = { indexServers: [], friendOrder: [] };
export const nodeConfigCodec: Codec<NodeConfig> = struct({
  indexServers: namedIndexServerList, friendOrder: list(publicKey, { max: MAX_FRIENDS }),
});

const hexCache = new WeakMap<Uint8Array, string>();
function hexKey(b: Uint8Array): string {
  let h = hexCache.get(b);
  if (h === undefined) {
    h = '';
    for (const x of b) h += x.toString(16).padStart(2, '0');
    hexCache.set(b, h);
  }
  return h;
}

/** `order` with removed friends dropped and new ones appended (in the map's order); the same
 *  array when nothing changed (the common case, checked without allocating). */
export function reconcileFriendOrder(order: readonly Uint8Array[], friends: ReadonlyMap<string, unknown>): readonly Uint8Array[] {
  if (order.length === friends.size && order.every((k) => friends.has(hexKey(k)))) return order;
  const kept = order.filter((k) => friends.has(hexKey(k)));
  const seen = new Set(kept.map(hexKey));
  const added = [...friends.keys()].filter((k) => !seen.has(k)).map((k) => Uint8Array.from(k.match(/../g) ?? [], (h) => parseInt(h, 16)));
  return kept.length === order.length && added.length === 0 ? order : [...kept, ...added];
}

/** One journal record: a funder mutation, or the node configuration as a whole. */
export type NodeRecord =
  | { readonly kind: 'funder'; readonly mutation: FunderMutation }
  | { readonly kind: 'config'; readonly config: NodeConfig };
export const nodeRecordCodec: Codec<NodeRecord> = union({
  funder: [0, struct({ mutation: funderMutationCodec })],
  config: [1, struct({ config: nodeConfigCodec })],
});

export const SNAPSHOT_FUNDER = 'funder';
export const SNAPSHOT_NODE = 'node-config';

/** What we grant a friend in one currency: the friend shows it as its LMD and RR. */
export interface CurrencyTerms {
  readonly currency: string;
  readonly maxDebt: bigint;
  readonly isOpen: boolean;
}
const currencyTerms: Codec<CurrencyTerms> = struct({ currency, maxDebt: u128, isOpen: bool });

/** Everything one friend's channel carries. `terms` is informational (display, index
 *  capacities); credit limits are enforced by each side's own funder. */
export type PeerMessage =
  | { readonly kind: 'funder'; readonly message: FriendMessage }
  | { readonly kind: 'terms'; readonly currencies: readonly CurrencyTerms[] };
export const peerMessageCodec: Codec<PeerMessage> = union({
  funder: [0, struct({ message: friendMessage })],
  terms: [1, struct({ currencies: list(currencyTerms, { max: MAX_ACTIVE_CURRENCIES }) })],
});

export const encodePeerMessage = (m: PeerMessage): Uint8Array => encode(peerMessageCodec, m);
export const decodePeerMessage = (b: Uint8Array): Result<PeerMessage, DecodeError> => decodeExact(peerMessageCodec, b);
