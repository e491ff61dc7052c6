/** The safety settings file (`safety.json` in the data folder, beside `wallet.json`): JSON with the
 *  bridge's own schema (amounts as decimal strings), saved durably (temp file, fsync, rename). */
import { readFile } from 'node:fs/promises';
import { replaceFile } from '../src-core/store/atomic-file.node.ts';
import { REQUEST_SCHEMAS, type SafetySettings } from './bridge.ts';
import { SchemaError } from './bridge-schema.ts';
import { checkSafetySettings, DEFAULT_SAFETY_SETTINGS } from './safety.ts';

export const SAFETY_FILE = 'safety.json';
const schema = REQUEST_SCHEMAS['safety.get'].result;

export function encodeSafetySettings(s: SafetySettings): string {
  return `${JSON.stringify(schema.toJson(s), null, 2)}\n`;
}

export function decodeSafetySettings(text: string): { readonly ok: true; readonly value: SafetySettings } | { readonly ok: false; readonly error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  try {
    const v = schema.fromJson(json, 'safety');
    const bad = checkSafetySettings(v);
    return bad === undefined ? { ok: true, value: v } : { ok: false, error: bad };
  } catch (e) {
    if (e instanceof SchemaError) return { ok: false, error: e.message };
    throw e;
  }
}

/** The settings in `path`, the defaults when there is no file yet. A damaged file throws, like a
 *  damaged vault: silently falling back to the defaults could drop a password threshold. */
export async function loadSafetySettings(path: string): Promise<SafetySettings> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_SAFETY_SETTINGS;
    throw e;
  }
  const r = decodeSafetySettings(text);
  if (!r.ok) throw new Error(`${path}: the safety settings file is damaged (${r.error}); fix or delete it to start with the defaults`);
  return r.value;
}

export function saveSafetySettings(path: string): (s: SafetySettings) => Promise<void> {
  return (s) => replaceFile(path, `${path}.tmp`, new TextEncoder().encode(encodeSafetySettings(s)));
}
