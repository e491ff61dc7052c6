// Prebuilt bundles of the command-line programs, so that starting one costs ~0.2 s instead of
// the ~0.6–1.2 s tsx takes to compile the TypeScript sources on the fly.
//
// A program's bundle (src-core/cli/<program>.ts and every source file it imports, npm packages
// left external) lives in an ignored folder (.cache/cli, or $OFFSET_CLI_CACHE) beside a manifest,
// <program>.json, that names the bundle and lists every input esbuild's metafile reported with its
// mtime and size. A start uses the bundle only while every input still has that mtime and size
// (~100 stat calls, a millisecond or two); otherwise it rebuilds (~0.1 s), or, when another
// process is already rebuilding or esbuild fails, runs from source with tsx as before.
//
// Safe when many processes start at once: bundles are named by the hash of their content and
// written to a temporary file then renamed; the manifest is written last, the same way, so a
// reader sees either the old manifest with its bundle or the new one with its bundle. One process
// rebuilds at a time (a lock file, taken with O_EXCL, broken when older than a minute).
//
// `import.meta.url` in the bundle is the entry's source URL, so the code that finds files next to
// its source (package.json for --version, the sql.js wasm through module resolution) finds the
// same files as under tsx.
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Bumped whenever the build options below change, so older bundles are rebuilt. */
const FORMAT = 1;
/** Inputs changed this recently before a build are not trusted to be complete (coarse mtimes). */
const SETTLE_MS = 1000;
const LOCK_STALE_MS = 60_000;
/** Superseded bundles are removed once this old (a process may still be about to import one). */
const PRUNE_AFTER_MS = 10 * 60_000;

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export function cacheDir() {
  return process.env.OFFSET_CLI_CACHE || join(ROOT, '.cache', 'cli');
}

export function sourceOf(program) {
  return join(ROOT, 'src-core', 'cli', `${program}.ts`);
}

/** The path of a bundle of `program` built from the sources as they are now, or undefined. */
export function freshBundle(program, dir = cacheDir()) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, `${program}.json`), 'utf8'));
  } catch {
    return undefined;
  }
  if (manifest === null || manifest.format !== FORMAT || manifest.root !== ROOT) return undefined;
  if (typeof manifest.bundle !== 'string' || !Array.isArray(manifest.inputs)) return undefined;
  for (const input of manifest.inputs) {
    if (!Array.isArray(input) || input.length !== 3) return undefined;
    const [path, mtimeMs, size] = input;
    let s;
    try {
      s = statSync(join(ROOT, path));
    } catch {
      return undefined;
    }
    if (s.mtimeMs !== mtimeMs || s.size !== size) return undefined;
  }
  return join(dir, manifest.bundle);
}

/** Builds `program`'s bundle and returns its path; undefined when another process holds the
 *  build lock or the build fails (the caller then runs from source, which reports any error in
 *  the sources exactly as before). The manifest is published only when no input changed during
 *  (or just before) the build; the bundle is returned for this start either way. */
export async function buildBundle(program, dir = cacheDir()) {
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, `${program}.lock`);
  if (!takeLock(lock)) return undefined;
  try {
    let esbuild;
    try {
      esbuild = await import('esbuild');
    } catch {
      return undefined; // an install without dev dependencies: run from source
    }
    const started = Date.now();
    const entry = sourceOf(program);
    let result;
    try {
      result = await esbuild.build({
        entryPoints: [entry],
        absWorkingDir: ROOT,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        packages: 'external',
        write: false,
        outfile: join(dir, `${program}.mjs`),
        metafile: true,
        sourcemap: 'external',
        define: { 'import.meta.url': JSON.stringify(pathToFileURL(entry).href) },
        logLevel: 'silent',
      });
    } catch {
      return undefined;
    } finally {
      await esbuild.stop?.();
    }
    const code = result.outputFiles.find((f) => f.path.endsWith('.mjs'));
    const map = result.outputFiles.find((f) => f.path.endsWith('.mjs.map'));
    if (code === undefined || map === undefined) return undefined;
    const name = `${program}-${createHash('sha256').update(code.contents).digest('hex').slice(0, 16)}.mjs`;
    writeAtomic(join(dir, `${name}.map`), map.contents);
    writeAtomic(join(dir, name), `${code.text}//# sourceMappingURL=${name}.map\n`);
    const inputs = [...Object.keys(result.metafile.inputs), 'tsconfig.json'].map((path) => {
      const s = statSync(join(ROOT, path));
      return [path, s.mtimeMs, s.size];
    });
    if (inputs.every(([, mtimeMs]) => mtimeMs < started - SETTLE_MS)) {
      writeAtomic(join(dir, `${program}.json`), `${JSON.stringify({ format: FORMAT, root: ROOT, bundle: name, inputs })}\n`);
      prune(dir, program, name);
    }
    return join(dir, name);
  } finally {
    try { unlinkSync(lock); } catch { /* already broken as stale by another process */ }
  }
}

function takeLock(lock) {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(lock, 'wx'));
      return true;
    } catch (e) {
      if (e.code !== 'EEXIST') return false;
      try {
        if (Date.now() - statSync(lock).mtimeMs < LOCK_STALE_MS) return false;
        unlinkSync(lock);
      } catch {
        // gone meanwhile: try again
      }
    }
  }
  return false;
}

function writeAtomic(path, contents) {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}

function prune(dir, program, keep) {
  const now = Date.now();
  for (const f of readdirSync(dir)) {
    const superseded = f.startsWith(`${program}-`) && f !== keep && f !== `${keep}.map`
      && /^[a-z]+-[0-9a-f]{16}\.mjs(\.map)?$/.test(f);
    const orphan = f.endsWith('.tmp'); // left by a process killed while writing
    if (!superseded && !orphan) continue;
    try {
      if (now - statSync(join(dir, f)).mtimeMs > PRUNE_AFTER_MS) unlinkSync(join(dir, f));
    } catch {
      // removed by another process
    }
  }
}
