/** Every reader against one list of hostile texts: each returns a Result naming its kind of file,
 *  never throws, never accepts. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Result } from '../codec/index.ts';
import { nobleBackend } from '../crypto/index.ts';
import { formatCommit, parseCommit } from './commit.ts';
import type { FileError, FileKind } from './file-error.ts';
import { parseFriend } from './friend.ts';
import { parseIdent } from './ident.ts';
import { formatInvoice, parseInvoice } from './invoice.ts';
import { parseRcard } from './rcard.ts';
import { formatReceipt, parseReceipt } from './receipt.ts';
import { COMMIT, INVOICE, RECEIPT } from './vectors/funder-2-5.ts';
import { parseAppTicket, parseIndexTicket, parseNodeTicket, parseRelayTicket } from './tickets.ts';

const READERS: readonly (readonly [FileKind, (text: string) => Result<unknown, FileError>])[] = [
  ['ident', (t) => parseIdent(t, nobleBackend)],
  ['node-ticket', parseNodeTicket],
  ['app-ticket', parseAppTicket],
  ['relay-ticket', parseRelayTicket],
  ['index-ticket', parseIndexTicket],
  ['friend', parseFriend],
  ['rcard', (t) => parseRcard(t, nobleBackend)],
  ['invoice', parseInvoice],
  ['commit', parseCommit],
  ['receipt', parseReceipt],
];

const HOSTILE: readonly (readonly [string, string])[] = [
  ['empty', ''], ['whitespace', ' \n\t '], ['a BOM only', '\uFEFF'], ['a NUL', '\u0000'], ['truncated JSON', '{"publicKey":'],
  ['a JSON array', '[]'], ['JSON null', 'null'], ['a JSON string', '"x"'], ['an empty object', '{}'],
  ['a __proto__ key', '{"__proto__":{"publicKey":"x"}}'], ['a constructor key', 'constructor = "x"'],
  ['deeply nested JSON', `{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}`],
  ['too large', `{"a":"${'x'.repeat(70_000)}"}`], ['TOML garbage', 'this is not a file'], ['an unterminated string', 'a = "x'],
  ['a bad escape', 'a = "\\q"'], ['a lone surrogate escape', 'a = "\\ud800"'], ['a table twice', '[t]\n[t]'],
  ['a bad table name', '[a b]'], ['binary noise', '\u00ff\u00fe\u0001\u0002{'], ['a float', 'a = 1.5'],
  ['a key with a newline', '{"a\\nb":1}'], ['a key of 10k characters', `{"${'k'.repeat(10_000)}":1}`],
  ['a huge integer', `a = ${'9'.repeat(5000)}`], ['a key only', 'public_key'], ['JSON with a trailing comma', '{"a":1,}'],
];

describe('file readers on hostile input', () => {
  for (const [kind, read] of READERS) {
    it.each(HOSTILE)(`the ${kind} reader rejects %s with a message naming the file kind`, (_n, text) => {
      const r = read(text);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.fileKind).toBe(kind);
        expect(r.error.message.length).toBeGreaterThan(0);
        expect(r.error.message).not.toMatch(/\n/);
      }
    });
  }

  it('no reader throws on valid files with one character changed, and what it accepts re-reads the same', () => {
    const samples = [formatInvoice(INVOICE), formatCommit(COMMIT), formatReceipt(RECEIPT)];
    const parsers = [parseInvoice, parseCommit, parseReceipt] as const;
    const formatters = [formatInvoice, formatCommit, formatReceipt] as ((v: never) => string)[];
    fc.assert(fc.property(fc.nat(2), fc.nat(), fc.string({ minLength: 1, maxLength: 2 }), (which, at, ch) => {
      const text = samples[which] as string;
      const i = at % text.length;
      const mutated = text.slice(0, i) + ch + text.slice(i + 1);
      const r = (parsers[which] as (t: string) => Result<unknown, FileError>)(mutated);
      if (r.ok) {
        const again = (parsers[which] as (t: string) => Result<unknown, FileError>)((formatters[which] as (v: unknown) => string)(r.value));
        expect(again).toEqual(r);
      }
    }), { numRuns: 1000 });
  });

  it('no reader throws on random text or random JSON', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.json({ maxDepth: 4 })), (text) => {
      for (const [, read] of READERS) expect(typeof read(text).ok).toBe('boolean');
    }), { numRuns: 300 });
  });
});
