/** Small codecs shared by the app protocol's messages: names, named addresses, string enums.
 *  Browser-safe. */
import { type Codec, type Reader, type Writer, fixedBytes, struct, u8, uniqueList, utf8 } from '../codec/index.ts';
import { type RelayAddress, netAddress, publicKey, relayAddress, MAX_NODE_RELAYS } from '../proto/index.ts';

export { uniqueList };

/** A person's label for a friend, relay or index server (UTF-8 bytes). */
export const MAX_NAME_BYTES = 128;
export const MAX_ERROR_MESSAGE_BYTES = 512;
/** The node's own relays (the original's max_node_relays default). */
export const MAX_RELAYS = MAX_NODE_RELAYS;
export const MAX_INDEX_SERVERS = 64;
export const MAX_FRIENDS = 4096;
export const MAX_OPEN_INVOICES = 4096;
export const MAX_OPEN_PAYMENTS = 4096;
/** Mutations in one ReportMutations message; the node splits longer batches. */
export const MAX_MUTATIONS_PER_MESSAGE = 4096;
export const MAX_MULTI_ROUTES = 64;
export const MAX_ROUTES_PER_MULTI_ROUTE = 64;

export const PAYMENT_ID_BYTES = 16;
export const paymentId = fixedBytes(PAYMENT_ID_BYTES);

export const name: Codec<string> = utf8({ maxBytes: MAX_NAME_BYTES });

export function hexOf(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

export function bytesEqual(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A closed set of string literals, on the wire as a u8 index into `values`. */
export function literals<const T extends readonly string[]>(values: T): Codec<T[number]> {
  return {
    encode(w: Writer, v: T[number]) {
      const i = values.indexOf(v);
      if (i < 0) throw new TypeError(`unknown value ${String(v)}`);
      u8.encode(w, i);
    },
    decode(r: Reader) {
      const i = r.u8();
      const v = values[i];
      if (v === undefined) return r.fail('bad-tag', `value ${i}`);
      return v;
    },
  };
}

export interface NamedRelayAddress {
  readonly publicKey: Uint8Array;
  readonly address: string;
  readonly name: string;
}
export const namedRelayAddress: Codec<NamedRelayAddress> = struct({ publicKey, address: netAddress, name });

/** Same shape as a relay's: an index server's public key, the address nodes dial, a name. */
export type NamedIndexServerAddress = NamedRelayAddress;
export const namedIndexServerAddress: Codec<NamedIndexServerAddress> = namedRelayAddress;

const byKey = (x: { readonly publicKey: Uint8Array }): string => hexOf(x.publicKey);

export const namedRelayList = uniqueList(namedRelayAddress, MAX_RELAYS, byKey, 'relay public key');
export const namedIndexServerList = uniqueList(namedIndexServerAddress, MAX_INDEX_SERVERS, byKey, 'index server public key');
export const friendRelayList: Codec<readonly RelayAddress[]> = uniqueList(relayAddress, MAX_NODE_RELAYS, byKey, 'relay public key');
