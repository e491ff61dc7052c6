/** Opening and saving the wallet's files (invoices, commits, receipts, friend files, backups, QR
 *  pictures) with the web platform's own dialogs: the browser's file picker and download in
 *  browser mode, the operating system's native dialogs in Electron (Chromium shows them for a
 *  file input and a download). One code path for both modes; the host never sees a file path. */

export type OpenFileError =
  | { readonly kind: 'too-large'; readonly maxBytes: number }
  | { readonly kind: 'unreadable' };

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

/** pickFile, then the file's text (strict UTF-8: a binary file is `unreadable`). */
export async function openTextFile(doc: Document, accept: readonly string[], maxBytes = MAX_OPEN_BYTES): Promise<OpenFileResult<{ readonly name: string; readonly text: string }>> {
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

/** Offers `data` for saving under `name` (a download in the browser, the save dialog in Electron). */
export function saveFile(doc: Document, name: string, data: Blob): void {
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
  }
}
