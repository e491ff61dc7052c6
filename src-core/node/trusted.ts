/** The trusted-apps directory (`stnode --trusted DIR`): one app ticket per file (stmgr
 *  app-ticket). Read afresh whenever an app connects and whenever the directory changes, so a
 *  ticket added or removed takes effect without a restart. A file that is not a valid app
 *  ticket is skipped with a log line; it admits nobody. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type AppPermissions, parseAppTicket } from '../files/index.ts';
import { hexOf } from '../app/index.ts';

export type TrustedApps = ReadonlyMap<string, AppPermissions>;

export async function readTrustedApps(dir: string, log: (line: string) => void): Promise<TrustedApps> {
  const out = new Map<string, AppPermissions>();
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  } catch (e) {
    log(`cannot read the trusted directory ${dir}: ${(e as Error).message}`);
    return out;
  }
  for (const name of names) {
    const path = join(dir, name);
    try {
      if (!(await stat(path)).isFile()) continue;
      const parsed = parseAppTicket(await readFile(path, 'utf8'));
      if (!parsed.ok) {
        log(`${path}: not an app ticket (${parsed.error.message}); ignored`);
        continue;
      }
      const k = hexOf(parsed.value.publicKey);
      const old = out.get(k);
      // Two tickets for one app: it gets the union of their permissions
      const p = parsed.value.permissions;
      out.set(k, old === undefined ? p : {
        buyer: old.buyer || p.buyer, seller: old.seller || p.seller, config: old.config || p.config, routes: old.routes || p.routes,
      });
    } catch (e) {
      log(`${path}: ${(e as Error).message}; ignored`);
    }
  }
  return out;
}
