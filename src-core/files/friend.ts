/** `.friend`: what one node gives another to become friends — its public key and the relays it
 *  can be reached through (at most MAX_NODE_RELAYS = 16, reference/funder.md §0.3), and
 *  optionally a suggested name. */
import type { Result } from '../codec/index.ts';
import { PUBLIC_KEY_LEN } from '../crypto/index.ts';
import { parseNetAddress } from './address.ts';
import { MAX_FILE_CHARS, parseDocument, parseTomlLite, tomlBlocks } from './document.ts';
import { type Doc, FieldReader } from './fields.ts';
import { type FileError, catching, fail } from './file-error.ts';
import { b64, jsonText } from './json-text.ts';

export const MAX_NODE_RELAYS = 16;
export const MAX_NAME_BYTES = 64;

export interface RelayAddress {
  readonly publicKey: Uint8Array;
  readonly address: string;
}

export interface FriendFile {
  readonly publicKey: Uint8Array;
  readonly relays: readonly RelayAddress[];
  readonly name?: string;
}

export function formatFriend(friend: FriendFile): string {
  if (friend.relays.length > MAX_NODE_RELAYS) throw new RangeError(`relays: at most ${MAX_NODE_RELAYS}`);
  const doc: Record<string, unknown> = {
    kind: 'friend',
    publicKey: b64(friend.publicKey, PUBLIC_KEY_LEN, 'publicKey'),
    relays: friend.relays.map((r, i) => {
      const a = parseNetAddress(r.address);
      if (!a.ok) throw new RangeError(`relays[${i}].address: ${a.problem}`);
      return { publicKey: b64(r.publicKey, PUBLIC_KEY_LEN, `relays[${i}].publicKey`), address: r.address };
    }),
  };
  if (friend.name !== undefined) doc.name = friend.name;
  return jsonText(doc);
}

/** Our JSON, the original's TOML (`public_key = "…"` then `[[relays]]` tables), and the
 *  tutorial's rendering of it, where the relay tables are blank-line separated blocks with no
 *  header: the first block is the node, each further block one relay. */
export function parseFriend(text: string): Result<FriendFile, FileError> {
  return catching(() => {
    const f = new FieldReader('friend', friendDocument(text));
    f.kind('friend');
    const publicKey = f.bytes('publicKey', PUBLIC_KEY_LEN);
    const relays = f.raw('relays') === undefined ? [] : f.list('relays', MAX_NODE_RELAYS).map((r) => {
      const relay = { publicKey: r.bytes('publicKey', PUBLIC_KEY_LEN), address: r.address('address') };
      r.end();
      return relay;
    });
    const name = f.optionalString('name', { maxBytes: MAX_NAME_BYTES });
    f.end();
    return name === undefined ? { publicKey, relays } : { publicKey, relays, name };
  });
}

function friendDocument(text: string): Doc {
  const isToml = typeof text === 'string' && text.length <= MAX_FILE_CHARS && !text.replace(/^\uFEFF/, '').trimStart().startsWith('{');
  if (!isToml || /^\s*\[/m.test(text)) return parseDocument('friend', text);
  const blocks = tomlBlocks(text.replace(/^\uFEFF/, ''));
  if (blocks.length === 0) fail('syntax', 'friend', '', 'the file is empty');
  const [head, ...rest] = blocks;
  const doc = parseTomlLite('friend', head as string);
  if (rest.length > 0) {
    if (Object.prototype.hasOwnProperty.call(doc, 'relays')) fail('syntax', 'friend', 'relays', 'given more than once');
    Object.defineProperty(doc, 'relays', {
      value: rest.map((b) => parseTomlLite('friend', b)), enumerable: true, writable: true, configurable: true,
    });
  }
  return doc;
}
