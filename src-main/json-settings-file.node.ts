/** One small JSON settings file beside `wallet.json` (safety settings, card preferences): the
 *  bridge's own schema spelling (amounts as decimal strings), saved durably (temp file, fsync,
 *  rename). A missing file reads as the given empty value; a damaged one throws, because a
 *  silently empty file could drop a password threshold or a fee cap. */
import { readFile } from 'node:fs/promises';
import { replaceFile } from '../src-core/store/atomic-file.node.ts';
import { type Schema, SchemaError } from './bridge-schema.ts';

export type SettingsDecode<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export interface JsonSettingsFileSpec<T> {
  readonly schema: Schema<T>;
  /** The root name in schema error paths (`safety.maxAmount …`). */
  readonly root: string;
  /** What a missing file reads as. */
  readonly empty: T;
  /** Says what the file is in the damaged-file error: `the safety settings file`. */
  readonly what: string;
  /** Appended to "fix or delete it" in the damaged-file error. */
  readonly deleteHint?: string;
  /** A check beyond the schema; returns the problem, or undefined when the value is fine. */
  readonly check?: (v: T) => string | undefined;
}

export interface JsonSettingsFile<T> {
  encode(v: T): string;
  decode(text: string): SettingsDecode<T>;
  load(path: string): Promise<T>;
  save(path: string): (v: T) => Promise<void>;
}

export function jsonSettingsFile<T>(spec: JsonSettingsFileSpec<T>): JsonSettingsFile<T> {
  const encode = (v: T): string => `${JSON.stringify(spec.schema.toJson(v), null, 2)}\n`;
  const decode = (text: string): SettingsDecode<T> => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, error: 'not JSON' };
    }
    try {
      const v = spec.schema.fromJson(json, spec.root);
      const bad = spec.check?.(v);
      return bad === undefined ? { ok: true, value: v } : { ok: false, error: bad };
    } catch (e) {
      if (e instanceof SchemaError) return { ok: false, error: e.message };
      throw e;
    }
  };
  return {
    encode,
    decode,
    async load(path) {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return spec.empty;
        throw e;
      }
      const r = decode(text);
      if (!r.ok) throw new Error(`${path}: ${spec.what} is damaged (${r.error}); fix or delete it${spec.deleteHint ?? ''}`);
      return r.value;
    },
    save: (path) => (v) => replaceFile(path, `${path}.tmp`, new TextEncoder().encode(encode(v))),
  };
}
