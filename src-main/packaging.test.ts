import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from './paths.node.ts';

interface BuilderConfig {
  appId?: string;
  icon?: string;
  files?: string[];
  extraMetadata?: { main?: string };
  directories?: { buildResources?: string };
  linux?: { target?: string[]; icon?: string };
  mac?: { target?: string[]; icon?: string };
  win?: { target?: string[]; icon?: string };
}

const config = parse(readFileSync(join(REPO_ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { main?: string; scripts?: Record<string, string> };

function pngSize(path: string): { width: number; height: number } {
  const b = readFileSync(path);
  expect(b.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(b.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it('builds AppImage and deb on Linux, dmg on macOS and nsis on Windows', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
  });

  it('points every platform at an icon that exists and is at least 512×512', () => {
    const icons = new Set([config.icon, config.linux?.icon, config.mac?.icon, config.win?.icon]);
    expect(icons).toEqual(new Set(['assets/icon.png']));
    const path = join(REPO_ROOT, 'assets', 'icon.png');
    expect(existsSync(path)).toBe(true);
    expect(pngSize(path)).toEqual({ width: 512, height: 512 });
    expect(config.directories?.buildResources).toBe('assets');
  });

  it('packs the built main bundle and renderer that package.json names', () => {
    expect(config.extraMetadata?.main).toBe(pkg.main);
    expect(pkg.main).toBe('dist/main/electron-main.cjs');
    expect(config.files).toEqual(expect.arrayContaining(['dist/main/**', 'dist/renderer/**', 'package.json']));
  });

  it('is built by `npm run dist`', () => {
    expect(pkg.scripts?.['dist']).toMatch(/build\.node\.ts && electron-builder --config electron-builder\.yml$/);
  });
});
