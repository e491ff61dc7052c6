/** Loads sql.js once per process, with the wasm file located through module resolution so it
 *  works from the source tree, a packaged app and a test worker alike. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import initSqlJs, { type SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | undefined;
let wasmOverride: string | undefined;

/** For hosts that bundle or repackage node_modules (e.g. an Electron build): where the wasm file
 *  is. Call before the first store is opened. */
export function setSqlJsWasmPath(path: string): void {
  wasmOverride = path;
}

export function loadSqlJs(): Promise<SqlJsStatic> {
  loading ??= (async () => {
    const wasmPath = wasmOverride ?? createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm');
    const wasm = readFileSync(wasmPath);
    return initSqlJs({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer });
  })();
  loading.catch(() => { loading = undefined; });
  return loading;
}
