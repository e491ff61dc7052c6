import { describe, expect, it } from 'vitest';
import { decodeExact, encode, list, u8, utf8 } from './index.ts';
import { uniqueList } from './unique.ts';

describe('uniqueList', () => {
  const names = uniqueList(utf8({ maxBytes: 8 }), 3, (s) => s, 'name');

  it('round-trips a list of distinct items', () => {
    const r = decodeExact(names, encode(names, ['a', 'b']));
    expect(r.ok && r.value).toEqual(['a', 'b']);
  });

  it('refuses a repeated key on decode and names it', () => {
    const bytes = encode(list(utf8({ maxBytes: 8 }), { max: 3 }), ['a', 'a']);
    const r = decodeExact(names, bytes);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('duplicate name');
  });

  it('keeps the list bound', () => {
    const small = uniqueList(u8, 2, String, 'byte');
    expect(decodeExact(small, encode(list(u8, { max: 5 }), [1, 2, 3])).ok).toBe(false);
  });
});
