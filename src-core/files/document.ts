/** Text → document: JSON (what we write) or the small TOML subset the original's files use
 *  (`key = "value"` lines, `[table]`, `[[array]]`, `#` comments; the tutorial's friend file). */
import { type Doc, isPlainObject } from './fields.ts';
import { type FileKind, fail } from './file-error.ts';

/** No file we read is anywhere near this; a larger one is not ours. */
export const MAX_FILE_CHARS = 64 * 1024;

const KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function put(obj: Doc, key: string, value: unknown): void {
  // defineProperty: a key named __proto__ stays an ordinary (and later unknown) field
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

export function parseDocument(fileKind: FileKind, text: string): Doc {
  if (typeof text !== 'string') fail('syntax', fileKind, '', 'expected text');
  if (text.length > MAX_FILE_CHARS) fail('too-large', fileKind, '', `larger than ${MAX_FILE_CHARS} characters`);
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const trimmed = body.trimStart();
  if (trimmed === '') fail('syntax', fileKind, '', 'the file is empty');
  if (trimmed.startsWith('{')) {
    let v: unknown;
    try {
      v = JSON.parse(body);
    } catch (e) {
      fail('syntax', fileKind, '', `not valid JSON (${String((e as Error).message).replace(/\s+/g, ' ').slice(0, 200)})`);
    }
    if (!isPlainObject(v)) fail('syntax', fileKind, '', 'expected a JSON object');
    return v;
  }
  return parseTomlLite(fileKind, body);
}

/** Splits the text into blank-line separated blocks of TOML-lite (the tutorial's friend file). */
export function tomlBlocks(text: string): string[] {
  return text.split(/\r?\n[ \t]*(?:\r?\n[ \t]*)+/).filter((b) => b.trim() !== '' && !/^\s*(#[^\n]*\n?\s*)*$/.test(b));
}

export function parseTomlLite(fileKind: FileKind, text: string): Doc {
  const root: Doc = {};
  let table = root;
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const at = `line ${i + 1}`;
    const s = stripComment(line).trim();
    if (s === '') return;
    const header = /^\[\[\s*([^\]\s]+)\s*\]\]$/.exec(s) ?? /^\[\s*([^\]\s]+)\s*\]$/.exec(s);
    if (header) {
      const name = header[1] as string;
      if (!KEY.test(name)) fail('syntax', fileKind, '', `${at}: bad table name ${JSON.stringify(name)}`);
      const next: Doc = {};
      if (s.startsWith('[[')) {
        const existing = Object.prototype.hasOwnProperty.call(root, name) ? root[name] : undefined;
        if (existing === undefined) put(root, name, [next]);
        else if (Array.isArray(existing)) existing.push(next);
        else fail('syntax', fileKind, name, `${at}: defined twice`);
      } else {
        if (Object.prototype.hasOwnProperty.call(root, name)) fail('syntax', fileKind, name, `${at}: defined twice`);
        put(root, name, next);
      }
      table = next;
      return;
    }
    const eq = s.indexOf('=');
    if (eq <= 0) fail('syntax', fileKind, '', `${at}: expected key = value`);
    const key = s.slice(0, eq).trim();
    if (!KEY.test(key)) fail('syntax', fileKind, '', `${at}: bad key ${JSON.stringify(key)}`);
    if (Object.prototype.hasOwnProperty.call(table, key)) fail('syntax', fileKind, key, `${at}: given more than once`);
    put(table, key, parseValue(fileKind, s.slice(eq + 1).trim(), at));
  });
  return root;
}

/** Drops a trailing `# comment`, but not a `#` inside a quoted string. */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote !== undefined) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}

function parseValue(fileKind: FileKind, v: string, at: string): unknown {
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (/^(0|[1-9][0-9]*)$/.test(v)) return BigInt(v);
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'") && !v.slice(1, -1).includes("'")) return v.slice(1, -1);
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
    const inner = v.slice(1, -1);
    let out = '';
    for (let i = 0; i < inner.length; i++) {
      const c = inner[i] as string;
      if (c === '"') fail('syntax', fileKind, '', `${at}: unescaped quote in string`);
      if (c !== '\\') { out += c; continue; }
      const e = inner[++i];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', b: '\b', t: '\t', n: '\n', f: '\f', r: '\r' };
      if (e !== undefined && e in simple) { out += simple[e]; continue; }
      const hex = e === 'u' ? inner.slice(i + 1, i + 5) : e === 'U' ? inner.slice(i + 1, i + 9) : '';
      if (hex !== '' && /^[0-9A-Fa-f]+$/.test(hex) && hex.length === (e === 'u' ? 4 : 8)) {
        const cp = parseInt(hex, 16);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) fail('syntax', fileKind, '', `${at}: bad unicode escape`);
        out += String.fromCodePoint(cp);
        i += hex.length;
        continue;
      }
      fail('syntax', fileKind, '', `${at}: bad escape in string`);
    }
    return out;
  }
  return fail('syntax', fileKind, '', `${at}: expected a quoted string, true, false or a number`);
}
