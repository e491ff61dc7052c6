/** What kind of card file the person opened or pasted, before anything goes to the host: a card
 *  backup (`.offset-card`, cards.export) needs its backup password, a remote card (`.rcard`,
 *  `stmgr node-entry`) does not. Only the outer shape is looked at; the host checks everything. */
import type { CardFile } from '../../../src-main/bridge.ts';

export const BACKUP_EXTENSION = '.offset-card';
export const RCARD_EXTENSION = '.rcard';
/** What the open dialog offers. */
export const CARD_FILE_ACCEPT: readonly string[] = [BACKUP_EXTENSION, RCARD_EXTENSION, '.json'];

export interface DetectedCardFile {
  readonly file: CardFile;
  /** A name to start the form with: the .rcard's own name, else the file's name. */
  readonly suggestedName: string;
}

export type DetectResult = { readonly ok: true; readonly value: DetectedCardFile } | { readonly ok: false; readonly error: string };

const NOT_A_CARD = 'This is not a card file. Choose a card backup (.offset-card) or a remote card (.rcard).';

/** The file name without the card extensions, e.g. "Travel.offset-card" → "Travel". */
export function nameFromFileName(fileName: string): string {
  return fileName.replace(/\.(offset-card|rcard|json)$/i, '').trim().slice(0, 64);
}

export function detectCardFile(text: string, fileName = ''): DetectResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: NOT_A_CARD };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, error: NOT_A_CARD };
  const o = json as Record<string, unknown>;
  const fromFile = nameFromFileName(fileName);
  if (o['format'] === 'offset-card-backup') return { ok: true, value: { file: { kind: 'backup', text }, suggestedName: fromFile } };
  if (o['kind'] === 'rcard') {
    const own = typeof o['name'] === 'string' ? o['name'].trim().slice(0, 64) : '';
    return { ok: true, value: { file: { kind: 'rcard', text }, suggestedName: own !== '' ? own : fromFile } };
  }
  return { ok: false, error: NOT_A_CARD };
}
