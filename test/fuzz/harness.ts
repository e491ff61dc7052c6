/** The fuzz loop shared by every target: seeded, counted (not timed) iterations, so a run is
 *  reproducible from its seed. Each input is a mutation of a valid seed (or of an input the target
 *  accepted earlier), fresh random bytes, or one of the shared hostile inputs. The decoder must
 *  return its own error type and never throw; whatever it accepts must survive `check` (for the
 *  codecs: re-encode to the same bytes, decode to the same value).
 *
 *  FUZZ_SEED=<n> picks the run seed (default below), FUZZ_SCALE=<k> multiplies every target's
 *  iteration count (`npm run fuzz` sets a large one). */
import { isDeepStrictEqual } from 'node:util';
import { type Codec, DecodeError, decodeExact, encode, hostileInputs } from '../../src-core/codec/index.ts';
import { mutateBytes, mutateText } from './mutate.ts';
import { type Prng, prng, seedFor } from './prng.ts';

export const DEFAULT_FUZZ_SEED = 20261123;

export interface FuzzConfig {
  readonly runSeed: number;
  readonly scale: number;
}

function envNumber(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`${name} must be a positive number, got ${JSON.stringify(v)}`);
  return n;
}

export function fuzzConfig(): FuzzConfig {
  return { runSeed: Math.floor(envNumber('FUZZ_SEED', DEFAULT_FUZZ_SEED)), scale: envNumber('FUZZ_SCALE', 1) };
}

/** vitest timeout for a fuzz test whose default run takes well under `baseMs`. */
export function fuzzTimeout(cfg: FuzzConfig, baseMs = 30_000): number {
  return Math.ceil(baseMs * Math.max(1, cfg.scale));
}

export type Decoded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

export interface Target<I, T> {
  readonly name: string;
  /** Valid inputs; the loop mutates them. */
  readonly seeds: readonly I[];
  /** A fresh unstructured input (random bytes, random text). */
  random(r: Prng): I;
  mutate(r: Prng, input: I, other: I): { readonly input: I; readonly applied: readonly string[] };
  /** Extra fixed inputs tried first (hostile lists). */
  readonly fixed?: readonly I[];
  decode(input: I): Decoded<T>;
  /** The decoder's own error type; anything else returned as an error is a failure. */
  isError(e: unknown): boolean;
  /** A problem with an accepted input, or undefined (e.g. re-encoding differs). */
  check?(input: I, value: T): string | undefined;
  show(input: I): string;
}

export interface FuzzStats {
  readonly target: string;
  readonly seed: number;
  readonly iterations: number;
  readonly seeds: number;
  readonly accepted: number;
  readonly rejected: number;
}

export class FuzzFailure extends Error {
  constructor(target: string, runSeed: number, iteration: number, applied: readonly string[], input: string, problem: string) {
    super(`fuzz ${target}: ${problem}\n  replay: FUZZ_SEED=${runSeed} (iteration ${iteration}, mutations ${applied.join('+') || 'none'})\n  input: ${input}`);
    this.name = 'FuzzFailure';
  }
}

const MAX_CORPUS = 512;

export function runFuzz<I, T>(t: Target<I, T>, iterations: number, cfg: FuzzConfig = fuzzConfig()): FuzzStats {
  if (t.seeds.length === 0) throw new Error(`fuzz ${t.name}: no valid seeds`);
  const n = Math.ceil(iterations * cfg.scale);
  const r = prng(seedFor(cfg.runSeed, t.name));
  const corpus: I[] = [...t.seeds];
  let accepted = 0;
  let rejected = 0;
  const fixed = t.fixed ?? [];
  for (let i = 0; i < n + fixed.length; i++) {
    let input: I;
    let applied: readonly string[] = [];
    if (i < fixed.length) {
      input = fixed[i] as I;
      applied = ['fixed'];
    } else if (r.chance(0.06)) {
      input = t.random(r);
      applied = ['random'];
    } else {
      const m = t.mutate(r, r.pick(corpus), r.pick(corpus));
      input = m.input;
      applied = m.applied;
    }
    const fail = (problem: string): never => { throw new FuzzFailure(t.name, cfg.runSeed, i, applied, t.show(input), problem); };
    let d: Decoded<T>;
    try {
      d = t.decode(input);
    } catch (e) {
      return fail(`the decoder threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    }
    if (!d.ok) {
      if (!t.isError(d.error)) fail(`the decoder returned a foreign error ${String(d.error)}`);
      rejected++;
      continue;
    }
    accepted++;
    let problem: string | undefined;
    try {
      problem = t.check?.(input, d.value);
    } catch (e) {
      problem = `checking the accepted value threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
    }
    if (problem !== undefined) fail(problem);
    if (corpus.length < MAX_CORPUS) corpus.push(input);
    else corpus[r.below(MAX_CORPUS)] = input;
  }
  return { target: t.name, seed: cfg.runSeed, iterations: n + fixed.length, seeds: t.seeds.length, accepted, rejected };
}

const hex = (b: Uint8Array): string => (b.length > 512 ? `${Buffer.from(b.subarray(0, 512)).toString('hex')}… (${b.length} bytes)` : Buffer.from(b).toString('hex') || '(empty)');

/** A byte-level target for a strict codec: decodeExact, and an accepted input must re-encode to
 *  exactly itself (the codec is canonical) and decode again to the same value. */
export function codecTarget<T>(name: string, codec: Codec<T>, seeds: readonly Uint8Array[]): Target<Uint8Array, T> {
  return {
    name,
    seeds,
    fixed: hostileInputs().map((h) => h.bytes),
    random: (r) => r.bytes(r.below(r.chance(0.8) ? 64 : 2048)),
    mutate: (r, a, b) => { const m = mutateBytes(r, a, b); return { input: m.bytes, applied: m.applied }; },
    decode: (b) => decodeExact(codec, b),
    isError: (e) => e instanceof DecodeError,
    check(input, value) {
      const again = encode(codec, value);
      if (!isDeepStrictEqual(again, input)) return `accepted a non-canonical encoding; it re-encodes as ${hex(again)}`;
      const back = decodeExact(codec, again);
      if (!back.ok || !isDeepStrictEqual(back.value, value)) return 'the re-encoding does not decode to the same value';
      return undefined;
    },
    show: hex,
  };
}

/** A text-level target (files, QR payloads, bridge messages). */
export function textTarget<T>(spec: {
  readonly name: string;
  readonly seeds: readonly string[];
  readonly decode: (text: string) => Decoded<T>;
  readonly isError: (e: unknown) => boolean;
  readonly check?: (text: string, value: T) => string | undefined;
}): Target<string, T> {
  const dec = new TextDecoder('utf-8');
  return {
    ...spec,
    fixed: ['', ' ', '{', '}', '{}', '[]', 'null', '"', '\uFEFF{}', '{"kind":"invoice"}', '{"kind":"__proto__"}',
      '{"kind":"constructor"}', `{"a":${'['.repeat(5000)}`, 'offset:', 'offset:invoice:', 'offset:invoice:!!!!', 'x'.repeat(70_000)],
    random: (r) => (r.chance(0.5) ? dec.decode(r.bytes(r.below(200))) : Array.from({ length: r.below(200) }, () => String.fromCharCode(0x20 + r.below(95))).join('')),
    mutate: (r, a, b) => { const m = mutateText(r, a, b); return { input: m.text, applied: m.applied }; },
    show: (s) => JSON.stringify(s.length > 2000 ? `${s.slice(0, 2000)}… (${s.length} chars)` : s),
  };
}
