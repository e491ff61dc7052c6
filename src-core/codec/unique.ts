/** Lists whose items must have distinct keys (public keys, currencies, ids): one encoding per
 *  value, so a peer cannot smuggle a second entry for the same key past a map lookup. */
import { type Codec, list, refine } from './codecs.ts';

/** A refine check: the first repeated key, named as `duplicate <what>`. */
export function distinctBy<T>(key: (x: T) => string, what: string): (v: readonly T[]) => string | undefined {
  return (v) => {
    const seen = new Set<string>();
    for (const x of v) {
      const k = key(x);
      if (seen.has(k)) return `duplicate ${what}`;
      seen.add(k);
    }
    return undefined;
  };
}

export function uniqueList<T>(item: Codec<T>, max: number, key: (x: T) => string, what: string): Codec<readonly T[]> {
  return refine(list(item, { max }), distinctBy(key, what));
}
