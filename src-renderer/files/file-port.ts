/** Opening and saving the wallet's files (invoices, commits, receipts, friend files, backups, QR
 *  pictures). In Electron the preload's native dialogs (`window.offsetFiles`: file-type filters,
 *  atomic writes, src-main/native-files.ts) open text files and save files; everywhere else, and
 *  for pictures, the web platform's own: the browser's file picker and download. The renderer
 *  never sees or names a file path. */
import type { OffsetFiles } from '../../src-main/bridge.ts';

/** The Electron preload's native dialogs, when this page runs in the wallet window. */
export function nativeFiles(doc: Document): OffsetFiles | undefined {
  const files = (doc.defaultView as (Window & { readonly offsetFiles?: OffsetFiles }) | null)?.offsetFiles;
  return typeof files?.openText === 'function' && typeof files.save === 'function' ? files : undefined;
}

export type OpenFileError =
  | { readonly kind: 'too-large'; readonly maxBytes: number }
  | { readonly kind: 'unreadable' }
  | { readonly kind: 'refused' };

/** `value` is undefined when the person cancelled the dialog. */
export type OpenFileResult<T> = { readonly ok: true; readonly value: T | undefined } | { readonly ok: false; readonly error: OpenFileError };

export interface PickedFile {
  readonly name: string;
  readonly file: File;
}

/** Text files of the wallet are small (an invoice is under 1 KiB, a backup a few MiB). */
export const MAX_OPEN_BYTES = 16 * 1024 * 1024;

/** Shows the file dialog (must run inside a user gesture, e.g. a click handler). `accept` lists
 *  extensions or types, e.g. ['.invoice'] or ['image/*']. */
export function pickFile(doc: Document, accept: readonly string[], maxBytes = MAX_OPEN_BYTES): Promise<OpenFileResult<PickedFile>> {
  return new Promise((resolve) => {
    const input = doc.createElement('input');
    input.type = 'file';
    input.accept = accept.join(',');
    input.style.display = 'none';
    const done = (r: OpenFileResult<PickedFile>): void => {
      input.remove();
      resolve(r);
    };
    input.addEventListener('cancel', () => done({ ok: true, value: undefined }));
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (file === undefined) return done({ ok: true, value: undefined });
      if (file.size > maxBytes) return done({ ok: false, error: { kind: 'too-large', maxBytes } });
      done({ ok: true, value: { name: file.name, file } });
    });
    doc.body.append(input);
    input.click();
  });
}

/** pickFile, then the file's text (strict UTF-8: a binary file is `unreadable`). In Electron the
 *  native open dialog, filtered by the extensions in `accept`. */
export async function openTextFile(doc: Document, accept: readonly string[], maxBytes = MAX_OPEN_BYTES): Promise<OpenFileResult<{ readonly name: string; readonly text: string }>> {
  const native = nativeFiles(doc);
  if (native !== undefined && accept.length > 0 && accept.every((a) => /^\.[a-z0-9-]+$/.test(a))) {
    const r = await native.openText(accept);
    if (r.kind === 'cancelled') return { ok: true, value: undefined };
    if (r.kind === 'failed') return { ok: false, error: r.reason === 'too-large' ? { kind: 'too-large', maxBytes } : { kind: r.reason } };
    if (new TextEncoder().encode(r.text).length > maxBytes) return { ok: false, error: { kind: 'too-large', maxBytes } };
    return { ok: true, value: { name: r.name, text: r.text } };
  }
  const picked = await pickFile(doc, accept, maxBytes);
  if (!picked.ok || picked.value === undefined) return picked as OpenFileResult<never>;
  try {
    const bytes = new Uint8Array(await picked.value.file.arrayBuffer());
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { ok: true, value: { name: picked.value.name, text } };
  } catch {
    return { ok: false, error: { kind: 'unreadable' } };
  }
}

export type SaveFileResult =
  /** Saved through the native dialog (Electron) under `name`. */
  | { readonly kind: 'saved'; readonly name: string }
  /** Handed to the browser's download: where it went (or whether) only the browser knows. */
  | { readonly kind: 'downloaded' }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly message: string };

/** Offers `data` for saving under `name`: the native save dialog in Electron, a download in the
 *  browser. Fire and forget; `saveFileResult` tells the outcome (a failed native write). */
export function saveFile(doc: Document, name: string, data: Blob): void {
  void saveFileResult(doc, name, data);
}

/** saveFile, telling what happened; never rejects. */
export async function saveFileResult(doc: Document, name: string, data: Blob): Promise<SaveFileResult> {
  const native = nativeFiles(doc);
  if (native !== undefined) {
    try {
      return await native.save(name, new Uint8Array(await data.arrayBuffer()));
    } catch (e) {
      return { kind: 'failed', message: `The file was not saved: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  download(doc, name, data);
  return { kind: 'downloaded' };
}

function download(doc: Document, name: string, data: Blob): void {
  const url = URL.createObjectURL(data);
  const a = doc.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  doc.body.append(a);
  a.click();
  a.remove();
  // the download has its own reference once started; release ours on the next turn
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function describeOpenFileError(e: OpenFileError): string {
  switch (e.kind) {
    case 'too-large':
      return `This file is too large for the wallet (at most ${Math.floor(e.maxBytes / (1024 * 1024))} MiB). Choose the right file.`;
    case 'unreadable':
      return 'This file could not be read as text. Choose an Offset file (.invoice, .commit, .receipt, .friend, …).';
    case 'refused':
      return 'The wallet refused to open files from this page.';
  }
}
