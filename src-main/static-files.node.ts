/** Serving the built renderer from a folder, shared by browser mode (HTTP) and Electron (app://):
 *  maps a URL path to a file strictly inside the folder, or to nothing. */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
}

/** `urlPath` is the raw path of a URL ("/", "/assets/x.js"); query and hash already removed.
 *  Refuses encoded separators, dot segments, NUL and anything resolving outside `root`. */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const parts = decoded.split('/').slice(1);
  if (parts.some((p) => p.startsWith('.'))) return undefined; // dot segments and hidden files
  const relative = decoded === '/' ? 'index.html' : parts.join('/');
  const type = TYPES[extname(relative).toLowerCase()];
  if (type === undefined) return undefined;
  const candidate = join(root, normalize(relative));
  if (!candidate.startsWith(join(root, sep))) return undefined;
  let file = candidate;
  try {
    // symlinks must not lead out of the folder either
    const rootReal = await realpath(root);
    file = await realpath(candidate);
    if (!file.startsWith(rootReal + sep)) return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP' || code === 'EACCES') return undefined;
    file = candidate; // inside Electron's asar archive realpath may be unsupported: the lexical check holds
  }
  try {
    if (!(await stat(file)).isFile()) return undefined;
    return { body: await readFile(file), contentType: type };
  } catch {
    return undefined;
  }
}
