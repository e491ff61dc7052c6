/** The statement file (docs/files.md "Statement"): one JSON document with the CSV inside and the
 *  signed artifacts as base64url. Parsing is strict — unknown or missing fields, wrong types and
 *  oversized input are errors, never exceptions. Browser-safe. */
import { type Result, fromBase64Url, ok, toBase64Url } from '../codec/index.ts';
import { type ArtifactKind, MAX_STATEMENT_LINES, STATEMENT_VERSION, type Statement, type StatementArtifact } from './statement.ts';

export const STATEMENT_FILE_KIND = 'offset-statement';
/** ~10,000 lines with their artifacts fit well within this. */
export const MAX_STATEMENT_FILE_CHARS = 16 * 1024 * 1024;

export function formatStatement(s: Statement): string {
  const doc: Record<string, unknown> = {
    kind: STATEMENT_FILE_KIND, version: s.version, card: s.card, friend: s.friend, currency: s.currency,
    from: s.from, to: s.to, createdAt: s.createdAt, csv: s.csv,
    artifacts: s.artifacts.map((a) => ({ kind: a.kind, data: toBase64Url(a.bytes) })),
  };
  if (s.friendToken !== undefined) doc['friendToken'] = toBase64Url(s.friendToken);
  if (s.signedBalance !== undefined) doc['signedBalance'] = s.signedBalance.toString();
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: Record<string, unknown>, k: string): unknown => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);

class Bad extends Error {}
const bad = (m: string): never => { throw new Bad(m); };

const FIELDS = new Set(['kind', 'version', 'card', 'friend', 'currency', 'from', 'to', 'createdAt', 'csv', 'artifacts', 'friendToken', 'signedBalance']);

function str(o: Record<string, unknown>, k: string): string {
  const v = own(o, k);
  return typeof v === 'string' ? v : bad(`${k}: expected a string`);
}
function millis(o: Record<string, unknown>, k: string): number {
  const v = own(o, k);
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : bad(`${k}: expected milliseconds since the epoch`);
}
function b64(v: unknown, what: string): Uint8Array {
  const b = typeof v === 'string' ? fromBase64Url(v) : undefined;
  return b ?? bad(`${what}: expected base64url`);
}

/** Reads a statement file; a one-line reason on any problem. */
export function parseStatement(text: string): Result<Statement, string> {
  try {
    if (typeof text !== 'string') bad('expected text');
    if (text.length > MAX_STATEMENT_FILE_CHARS) bad(`larger than ${MAX_STATEMENT_FILE_CHARS} characters`);
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      bad('not valid JSON');
    }
    if (!isObject(doc)) return bad('expected a JSON object');
    for (const k of Object.keys(doc)) if (!FIELDS.has(k)) bad(`unknown field ${JSON.stringify(k)}`);
    if (own(doc, 'kind') !== STATEMENT_FILE_KIND) bad(`not a statement (kind must be ${JSON.stringify(STATEMENT_FILE_KIND)})`);
    if (own(doc, 'version') !== STATEMENT_VERSION) bad(`unsupported version (this program reads version ${STATEMENT_VERSION})`);
    const arts = own(doc, 'artifacts');
    if (!Array.isArray(arts)) return bad('artifacts: expected a list');
    if (arts.length > MAX_STATEMENT_LINES) bad(`artifacts: more than ${MAX_STATEMENT_LINES}`);
    const artifacts: StatementArtifact[] = arts.map((a: unknown, i): StatementArtifact => {
      if (!isObject(a) || Object.keys(a).some((k) => k !== 'kind' && k !== 'data')) return bad(`artifacts[${i}]: expected {kind, data}`);
      const kind = own(a, 'kind');
      if (kind !== 'receipt' && kind !== 'commit') return bad(`artifacts[${i}].kind: expected "receipt" or "commit"`);
      return { kind: kind as ArtifactKind, bytes: b64(own(a, 'data'), `artifacts[${i}].data`) };
    });
    const tok = own(doc, 'friendToken');
    const bal = own(doc, 'signedBalance');
    if (bal !== undefined && (typeof bal !== 'string' || !/^-?(0|[1-9][0-9]{0,39})$/.test(bal) || bal === '-0')) bad('signedBalance: expected a decimal integer');
    const from = millis(doc, 'from');
    const to = millis(doc, 'to');
    if (to < from) bad('the period ends before it starts');
    return ok({
      version: STATEMENT_VERSION, card: str(doc, 'card'), friend: str(doc, 'friend'), currency: str(doc, 'currency'),
      from, to, createdAt: millis(doc, 'createdAt'), csv: str(doc, 'csv'), artifacts,
      friendToken: tok === undefined ? undefined : b64(tok, 'friendToken'),
      signedBalance: bal === undefined ? undefined : BigInt(bal as string),
    });
  } catch (e) {
    if (e instanceof Bad) return { ok: false, error: e.message };
    throw e;
  }
}
