/** Reading what a person pastes, opens or scans: an Offset file's text or a QR payload
 *  (`offset:<kind>:…`), checked by src-core/files' readers. One sentence for every refusal. */
import { type Result } from '../../src-core/codec/index.ts';
import { nobleBackend } from '../../src-core/crypto/index.ts';
import { type AnyFile, type QrObject, declaredFileKind, fileKindLabel, parseAnyFile, parseQrPayload } from '../../src-core/files/index.ts';
import type { Commit, Invoice, Receipt } from '../../src-core/proto/index.ts';

export type OffsetObject =
  | { readonly kind: 'invoice'; readonly value: Invoice }
  | { readonly kind: 'commit'; readonly value: Commit }
  | { readonly kind: 'receipt'; readonly value: Receipt }
  | { readonly kind: 'other'; readonly label: string };

function fromQr(q: QrObject): OffsetObject {
  switch (q.kind) {
    case 'invoice': return { kind: 'invoice', value: q.invoice };
    case 'commit': return { kind: 'commit', value: q.commit };
    case 'receipt': return { kind: 'receipt', value: q.receipt };
    default: return { kind: 'other', label: fileKindLabel(q.kind) };
  }
}

function fromFile(f: AnyFile): OffsetObject {
  switch (f.kind) {
    case 'invoice': return { kind: 'invoice', value: f.value };
    case 'commit': return { kind: 'commit', value: f.value };
    case 'receipt': return { kind: 'receipt', value: f.value };
    default: return { kind: 'other', label: fileKindLabel(f.kind) };
  }
}

/** `hint` reads a file that declares no kind (the original's invoice files have none). */
export function readOffsetText(text: string, hint: 'invoice' | 'commit' | 'receipt'): Result<OffsetObject, string> {
  const t = text.trim();
  if (t === '') return { ok: false, error: `Paste, open or scan the ${hint} first.` };
  if (t.startsWith('offset:')) {
    const q = parseQrPayload(t, nobleBackend);
    return q.ok ? { ok: true, value: fromQr(q.value) } : { ok: false, error: `This QR code cannot be read as an ${hint === 'invoice' ? 'invoice' : hint}: ${q.error.message}` };
  }
  if (!t.startsWith('{') && !t.includes('=')) return { ok: false, error: `This is not an Offset ${hint}: expected the ${hint} file's text or its QR code.` };
  const declared = declaredFileKind(t);
  const r = parseAnyFile(t, nobleBackend, declared === undefined ? hint : undefined);
  if (!r.ok) return { ok: false, error: `This ${declared === undefined ? hint : fileKindLabel(declared)} cannot be read: ${r.error.message}` };
  return { ok: true, value: fromFile(r.value) };
}

/** readOffsetText, then insists on one kind ("This is a commit, not an invoice."). */
interface Expected { invoice: Invoice; commit: Commit; receipt: Receipt }

export function readExpected<K extends keyof Expected>(text: string, kind: K): Result<Expected[K], string> {
  const r = readOffsetText(text, kind);
  if (!r.ok) return r;
  if (r.value.kind !== kind) {
    const what = r.value.kind === 'other' ? r.value.label : r.value.kind;
    return { ok: false, error: `This is ${article(what)} ${what}, not ${article(kind)} ${kind}.` };
  }
  return { ok: true, value: r.value.value as Expected[K] };
}

const article = (w: string): string => (/^[aeiou]/i.test(w) ? 'an' : 'a');
