/** The card preferences file (`card-prefs.json` beside `wallet.json`): invoice expiries and fee
 *  caps in the bridge's JSON spelling, saved durably (temp file, fsync, rename). */
import { readFile } from 'node:fs/promises';
import { replaceFile } from '../src-core/store/atomic-file.node.ts';
import { SchemaError } from './bridge-schema.ts';
import { type CardPrefs, cardPrefsSchema, EMPTY_CARD_PREFS } from './card-prefs.ts';

export const CARD_PREFS_FILE = 'card-prefs.json';

export function encodeCardPrefs(p: CardPrefs): string {
  return `${JSON.stringify(cardPrefsSchema.toJson(p), null, 2)}\n`;
}

export function decodeCardPrefs(text: string): { readonly ok: true; readonly value: CardPrefs } | { readonly ok: false; readonly error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  try {
    return { ok: true, value: cardPrefsSchema.fromJson(json, 'card-prefs') };
  } catch (e) {
    if (e instanceof SchemaError) return { ok: false, error: e.message };
    throw e;
  }
}

/** The table in `path`; empty when there is no file yet. A damaged file throws (a silently empty
 *  table would drop fee caps and leave expired invoices payable). */
export async function loadCardPrefs(path: string): Promise<CardPrefs> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_CARD_PREFS;
    throw e;
  }
  const r = decodeCardPrefs(text);
  if (!r.ok) throw new Error(`${path}: the card preferences file is damaged (${r.error}); fix or delete it`);
  return r.value;
}

export function saveCardPrefs(path: string): (p: CardPrefs) => Promise<void> {
  return (p) => replaceFile(path, `${path}.tmp`, new TextEncoder().encode(encodeCardPrefs(p)));
}
