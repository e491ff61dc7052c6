/** Dependency direction (ARCHITECTURE §2, STYLE §8): the table is the design, this test the guard. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
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
  app: ['net', 'codec', 'proto', 'crypto', 'files'],
  store: ['funder', 'codec', 'proto', 'crypto'],
  node: ['*'],
  cli: ['*'],
};

/** What the renderer may use of src-core: browser-safe folders only, never a *.node.ts file. */
const RENDERER_MAY_IMPORT = ['codec', 'proto', 'files', 'crypto', 'app'];

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

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(re)) specs.push((m[1] ?? m[2] ?? m[3]) as string);
  return specs;
}

const rel = (p: string): string => relative(ROOT, p).split(sep).join('/');
const isTest = (f: string): boolean => /\.test\.tsx?$|\/it\//.test(rel(f));

function violations(): string[] {
  const problems: string[] = [];
  for (const file of sourceFiles(join(ROOT, 'src-core'))) {
    const from = rel(file);
    const area = from.split('/')[1] as string;
    const allowed = MAY_IMPORT[area];
    for (const spec of importsOf(file)) {
      if (spec.startsWith('.')) {
        const target = rel(resolve(dirname(file), spec));
        if (!target.startsWith('src-core/')) {
          problems.push(`${from} imports ${target}; src-core never imports src-main or src-renderer`);
          continue;
        }
        const targetArea = target.split('/')[1] as string;
        if (targetArea === area || target.split('/').length === 2) continue;
        if (!isTest(file) && allowed !== undefined && !allowed.includes('*') && !allowed.includes(targetArea)) {
          problems.push(`${from} imports ${target}; ${area} may import ${allowed.join(', ') || 'nothing'}`);
        }
      } else if (spec.startsWith('node:') || spec === 'electron') {
        const nodeOk = from.endsWith('.node.ts') || area === 'cli' || area === 'node' || isTest(file);
        if (spec === 'electron') problems.push(`${from} imports electron; only src-main may`);
        else if (!nodeOk) problems.push(`${from} imports ${spec}; node:* only in *.node.ts, node/ and cli/`);
      }
    }
  }
  for (const file of sourceFiles(join(ROOT, 'src-renderer'))) {
    const from = rel(file);
    for (const spec of importsOf(file)) {
      if (spec.startsWith('node:') || spec === 'electron') { problems.push(`${from} imports ${spec}; the renderer is browser code`); continue; }
      if (!spec.startsWith('.')) continue;
      const target = rel(resolve(dirname(file), spec));
      if (target.startsWith('src-main/')) problems.push(`${from} imports ${target}; the renderer talks to main only through the bridge`);
      if (target.startsWith('src-core/')) {
        const area = target.split('/')[1] as string;
        if (!RENDERER_MAY_IMPORT.includes(area) || /\.node(\.ts)?$/.test(target)) {
          problems.push(`${from} imports ${target}; the renderer may import ${RENDERER_MAY_IMPORT.join(', ')} (never *.node.ts)`);
        }
      }
    }
  }
  return problems;
}

describe('layering', () => {
  it('keeps every import in the direction the architecture allows', () => {
    expect(violations()).toEqual([]);
  });

  it('names the src-core folders the table knows', () => {
    const folders = readdirSync(join(ROOT, 'src-core')).filter((n) => statSync(join(ROOT, 'src-core', n)).isDirectory());
    expect(folders.filter((f) => !(f in MAY_IMPORT))).toEqual([]);
  });
});
