import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { obj, str } from './bridge-schema.ts';
import { jsonSettingsFile } from './json-settings-file.node.ts';

interface Note {
  readonly text: string;
}

const file = jsonSettingsFile<Note>({
  schema: obj({ text: str({ maxLength: 100 }) }),
  root: 'note',
  empty: { text: '' },
  what: 'the note file',
  deleteHint: ' to start empty',
  check: (v) => (v.text.length > 5 ? 'text longer than 5' : undefined),
});

describe('a JSON settings file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'json-settings-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads as the empty value while missing, and reads back what was saved', async () => {
    const path = join(dir, 'note.json');
    expect(await file.load(path)).toEqual({ text: '' });
    await file.save(path)({ text: 'hi' });
    expect(await readFile(path, 'utf8')).toBe('{\n  "text": "hi"\n}\n');
    expect(await file.load(path)).toEqual({ text: 'hi' });
  });

  it('says why a text is refused: not JSON, the wrong shape, or failing the check', () => {
    expect(file.decode('{')).toEqual({ ok: false, error: 'not JSON' });
    const shape = file.decode('{"text":1}');
    expect(shape.ok).toBe(false);
    expect(file.decode('{"text":"toolong"}')).toEqual({ ok: false, error: 'text longer than 5' });
  });

  it('refuses to load a damaged file and names it', async () => {
    const path = join(dir, 'note.json');
    await writeFile(path, '{"text":"toolong"}');
    await expect(file.load(path)).rejects.toThrow(`${path}: the note file is damaged (text longer than 5); fix or delete it to start empty`);
  });
});
