/** Dependency direction (ARCHITECTURE §2, STYLE §8): the table is the design, this test the guard.
 *  The checker is a pure function over (path, source text) pairs, so it is itself tested below with
 *  files that break each rule, besides running over the real tree. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** src-core folder → the src-core folders it may import. '*' = any. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  crypto: [],
  codec: [],
  proto: ['codec', 'crypto'],
  files: ['codec', 'proto', 'crypto'],
  net: ['codec', 'proto', 'crypto'],
  relay: ['net', 'codec', 'proto', 'crypto'],
  channeler: ['relay', 'net', 'codec', 'proto', 'crypto'],
  funder: ['codec', 'proto', 'crypto'],
  index: ['net', 'codec', 'proto', 'crypto'],
  // app → funder: the buyer quotes fees with the funder's calcFee/maxPayable, the mediators' own arithmetic
  app: ['net', 'codec', 'proto', 'crypto', 'files', 'funder'],
  store: ['funder', 'codec', 'proto', 'crypto'],
  // statement: verifiable statements read history and tokens through the app protocol's codecs
  statement: ['app', 'codec', 'proto', 'crypto'],
  node: ['*'],
  cli: ['*'],
};

/** What the renderer may use of src-core: browser-safe folders only, never a *.node.ts file. */
const RENDERER_MAY_IMPORT = ['codec', 'proto', 'files', 'crypto', 'app', 'statement'];

/** The bridge contract (typed request map and its one codec) is the only part of src-main the
 *  renderer shares; these files are checked as renderer code, so they stay browser-safe.
 *  Renderer tests may also wire a real in-process host from src-main (STYLE §11). */
const RENDERER_SHARED_MAIN: readonly string[] = ['src-main/bridge.ts', 'src-main/bridge-codec.ts', 'src-main/bridge-schema.ts'];

/** Node's own modules, with or without the `node:` prefix ('fs' is as node-only as 'node:fs'). */
const NODE_BUILTINS: ReadonlySet<string> = new Set(builtinModules.map((m) => m.replace(/^node:/, '')));

/** A source file: `path` relative to the repository root, '/'-separated. */
interface SourceFile { readonly path: string; readonly text: string }

export function importsOf(text: string): string[] {
  const specs: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(re)) specs.push((m[1] ?? m[2] ?? m[3]) as string);
  return specs;
}

const isTest = (path: string): boolean => /\.test\.tsx?$|\/it\//.test(path);
const isNodeOnly = (path: string): boolean => /\.node(\.tsx?)?$/.test(path);
const isNodeModule = (spec: string): boolean => spec.startsWith('node:') || NODE_BUILTINS.has(spec.split('/')[0] as string);

/** Every import in `files` that breaks the architecture's direction, one sentence each. */
export function layeringViolations(files: readonly SourceFile[]): string[] {
  const problems: string[] = [];
  for (const { path: from, text } of files) {
    const parts = from.split('/');
    if (parts[0] === 'src-core') problems.push(...coreViolations(from, parts, importsOf(text)));
    else if (parts[0] === 'src-renderer' || RENDERER_SHARED_MAIN.includes(from)) problems.push(...rendererViolations(from, importsOf(text)));
  }
  return problems;
}

function coreViolations(from: string, parts: readonly string[], specs: readonly string[]): string[] {
  const problems: string[] = [];
  const area = parts.length > 2 ? (parts[1] as string) : undefined; // undefined: a file directly in src-core
  const allowed = area === undefined ? ['*'] : MAY_IMPORT[area];
  if (area !== undefined && allowed === undefined) {
    return [`${from} is in src-core/${area}, a folder the layering table does not know; add it with its allowed imports`];
  }
  for (const spec of specs) {
    if (spec.startsWith('.')) {
      const target = posix.normalize(posix.join(posix.dirname(from), spec));
      if (!target.startsWith('src-core/')) {
        problems.push(`${from} imports ${target}; src-core never imports src-main or src-renderer`);
        continue;
      }
      const targetParts = target.split('/');
      const targetArea = targetParts[1] as string;
      if (targetParts.length === 2 || targetArea === area || isTest(from) || allowed === undefined) continue;
      if (!allowed.includes('*') && !allowed.includes(targetArea)) {
        problems.push(`${from} imports ${target}; ${area} may import ${allowed.join(', ') || 'nothing'}`);
      } else if (target !== `src-core/${targetArea}/index.ts` && !isNodeOnly(target)) {
        problems.push(`${from} imports ${target}; other folders are imported through their index.ts (or a *.node.ts file)`);
      }
    } else if (spec === 'electron') {
      problems.push(`${from} imports electron; only src-main may`);
    } else if (isNodeModule(spec)) {
      const nodeOk = isNodeOnly(from) || area === 'cli' || area === 'node' || isTest(from);
      if (!nodeOk) problems.push(`${from} imports ${spec}; node modules only in *.node.ts, node/ and cli/`);
    }
  }
  return problems;
}

function rendererViolations(from: string, specs: readonly string[]): string[] {
  const problems: string[] = [];
  for (const spec of specs) {
    // Renderer tests run in node and may make temp folders for a real host with node engines.
    if (spec === 'electron' || (isNodeModule(spec) && !isTest(from))) {
      problems.push(`${from} imports ${spec}; the renderer is browser code`);
      continue;
    }
    if (!spec.startsWith('.')) continue;
    const target = posix.normalize(posix.join(posix.dirname(from), spec));
    if (target.startsWith('src-main/') && !RENDERER_SHARED_MAIN.includes(target) && !(isTest(from) && from.startsWith('src-renderer/'))) {
      problems.push(`${from} imports ${target}; the renderer talks to main only through the bridge`);
    }
    if (target.startsWith('src-core/')) {
      const area = target.split('/')[1] as string;
      if (!RENDERER_MAY_IMPORT.includes(area) || isNodeOnly(target)) {
        problems.push(`${from} imports ${target}; the renderer may import ${RENDERER_MAY_IMPORT.join(', ')} (never *.node.ts)`);
      }
    }
  }
  return problems;
}

function sourceFiles(dir: string): string[] {
  let out: string[] = [];
  let names: string[];
  try { names = readdirSync(dir); } catch { return out; }
  for (const name of names) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(sourceFiles(p));
    else if (/\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const SELF = 'src-core/layering.test.ts'; // its "imports" below are test data, not imports

function realTree(): SourceFile[] {
  return ['src-core', 'src-renderer'].flatMap((top) => sourceFiles(join(ROOT, top)))
    .concat(RENDERER_SHARED_MAIN.map((f) => join(ROOT, f)))
    .map((p) => ({ path: relative(ROOT, p).split(sep).join('/'), text: readFileSync(p, 'utf8') }))
    .filter((f) => f.path !== SELF);
}

describe('layering of the real tree', () => {
  it('keeps every import in the direction the architecture allows', () => {
    const files = realTree();
    expect(files.length).toBeGreaterThan(10); // the walk found the tree at all
    expect(layeringViolations(files)).toEqual([]);
  });

  it('names the src-core folders the table knows', () => {
    const folders = readdirSync(join(ROOT, 'src-core')).filter((n) => statSync(join(ROOT, 'src-core', n)).isDirectory());
    expect(folders.filter((f) => !(f in MAY_IMPORT))).toEqual([]);
  });
});

describe('layeringViolations', () => {
  const check = (path: string, text: string): string[] => layeringViolations([{ path, text }]);

  it.each([
    ['a folder importing one it may not', 'src-core/funder/x.ts', "import { frame } from '../net/index.ts';",
      'src-core/funder/x.ts imports src-core/net/index.ts; funder may import codec, proto, crypto'],
    ['crypto importing anything of src-core', 'src-core/crypto/x.ts', "import { u8 } from '../codec/index.ts';",
      'src-core/crypto/x.ts imports src-core/codec/index.ts; crypto may import nothing'],
    ['a browser-safe file importing node:fs', 'src-core/codec/y.ts', "import { readFileSync } from 'node:fs';",
      'src-core/codec/y.ts imports node:fs; node modules only in *.node.ts, node/ and cli/'],
    ['a browser-safe file importing bare "crypto"', 'src-core/proto/y.ts', "import * as c from 'crypto';",
      'src-core/proto/y.ts imports crypto; node modules only in *.node.ts, node/ and cli/'],
    ['a browser-safe file importing fs/promises', 'src-core/files/y.ts', "import { readFile } from 'fs/promises';",
      'src-core/files/y.ts imports fs/promises; node modules only in *.node.ts, node/ and cli/'],
    ['src-core importing src-main', 'src-core/net/z.ts', "import { host } from '../../src-main/host.ts';",
      'src-core/net/z.ts imports src-main/host.ts; src-core never imports src-main or src-renderer'],
    ['src-core importing electron', 'src-core/node/e.ts', "import { app } from 'electron';",
      'src-core/node/e.ts imports electron; only src-main may'],
    ['an inner file of another folder', 'src-core/funder/x.ts', "import { Reader } from '../codec/reader.ts';",
      'src-core/funder/x.ts imports src-core/codec/reader.ts; other folders are imported through their index.ts (or a *.node.ts file)'],
    ['an inner file of another folder, even from node/', 'src-core/node/run.ts', "import { step } from '../funder/step.ts';",
      'src-core/node/run.ts imports src-core/funder/step.ts; other folders are imported through their index.ts (or a *.node.ts file)'],
    ['a file in a subfolder of another folder', 'src-core/relay/x.ts', "import { pair } from '../net/testing/pair.ts';",
      'src-core/relay/x.ts imports src-core/net/testing/pair.ts; other folders are imported through their index.ts (or a *.node.ts file)'],
    ['a folder missing from the table', 'src-core/wallet/w.ts', "import { u8 } from '../codec/index.ts';",
      'src-core/wallet/w.ts is in src-core/wallet, a folder the layering table does not know; add it with its allowed imports'],
    ['the renderer importing src-main', 'src-renderer/z.tsx', "import { host } from '../src-main/host.ts';",
      'src-renderer/z.tsx imports src-main/host.ts; the renderer talks to main only through the bridge'],
    ['the renderer importing a *.node.ts file', 'src-renderer/z.tsx', "import { nodeBackend } from '../src-core/crypto/backend.node.ts';",
      'src-renderer/z.tsx imports src-core/crypto/backend.node.ts; the renderer may import codec, proto, files, crypto, app, statement (never *.node.ts)'],
    ['the renderer importing a node-side folder', 'src-renderer/a/b.tsx', "import { x } from '../../src-core/store/index.ts';",
      'src-renderer/a/b.tsx imports src-core/store/index.ts; the renderer may import codec, proto, files, crypto, app, statement (never *.node.ts)'],
    ['the renderer importing electron', 'src-renderer/z.tsx', "import { ipcRenderer } from 'electron';",
      'src-renderer/z.tsx imports electron; the renderer is browser code'],
    ['the renderer importing node:path', 'src-renderer/z.tsx', "import { join } from 'node:path';",
      'src-renderer/z.tsx imports node:path; the renderer is browser code'],
    ['a shared bridge file importing node:crypto', 'src-main/bridge-codec.ts', "import { randomBytes } from 'node:crypto';",
      'src-main/bridge-codec.ts imports node:crypto; the renderer is browser code'],
    ['a shared bridge file importing the rest of src-main', 'src-main/bridge.ts', "import { host } from './host.ts';",
      'src-main/bridge.ts imports src-main/host.ts; the renderer talks to main only through the bridge'],
  ])('reports %s', (_what, path, text, expected) => {
    expect(check(path, text)).toEqual([expected]);
  });

  it.each([
    ['export … from', "export { frame } from '../net/index.ts';"],
    ['export * from', "export * from '../net/index.ts';"],
    ['a type-only import', "import type { Frame } from '../net/index.ts';"],
    ['a side-effect import', "import '../net/index.ts';"],
    ['a dynamic import', "const m = await import('../net/index.ts');"],
    ['a multi-line import', "import {\n  frame,\n  type Frame,\n} from '../net/index.ts';"],
    ['double quotes', 'import { frame } from "../net/index.ts";'],
  ])('sees an import written as %s', (_how, text) => {
    expect(check('src-core/funder/x.ts', text)).toHaveLength(1);
  });

  it.each([
    ['an allowed folder through its index', 'src-core/funder/x.ts', "import { u8 } from '../codec/index.ts';"],
    ['a file of its own folder', 'src-core/funder/x.ts', "import { y } from './y.ts';\nimport { z } from './sub/z.ts';"],
    ['a node-only file of an allowed folder', 'src-core/net/x.node.ts', "import { nodeBackend } from '../crypto/backend.node.ts';"],
    ['node:crypto in a *.node.ts file', 'src-core/crypto/backend.node.ts', "import * as c from 'node:crypto';"],
    ['node modules in cli/ and node/', 'src-core/cli/a.ts', "import { argv } from 'node:process';\nimport net from 'net';"],
    ['any folder from node/', 'src-core/node/run.ts', "import { step } from '../funder/index.ts';\nimport { x } from '../net/index.ts';"],
    ['inner files and node modules in a test', 'src-core/funder/x.test.ts', "import { tmpdir } from 'node:os';\nimport { Reader } from '../codec/reader.ts';"],
    ['node modules in an integration test', 'src-core/net/it/two.test.ts', "import { spawn } from 'node:child_process';"],
    ['a package that merely starts like a builtin', 'src-core/codec/x.ts', "import fc from 'fast-check';\nimport { x } from '@noble/hashes/sha2.js';"],
    ['the renderer using browser-safe folders', 'src-renderer/App.tsx', "import { u8 } from '../src-core/codec/index.ts';\nimport React from 'react';"],
    ['the renderer importing the bridge contract', 'src-renderer/x.ts', "import type { Bridge } from '../src-main/bridge.ts';\nimport { encodeCall } from '../src-main/bridge-codec.ts';"],
    ['a renderer test wiring a real host', 'src-renderer/store/x.test.ts', "import { createDispatcher } from '../../src-main/dispatcher.ts';"],
    ['src-main importing anything', 'src-main/host.ts', "import { app } from 'electron';\nimport { x } from '../src-core/node/run.ts';"],
  ])('allows %s', (_what, path, text) => {
    expect(check(path, text)).toEqual([]);
  });
});
