/** Which permission each app request needs, checked by the node for every request before it
 *  acts (issue 6 item 2). The permissions come from the app's ticket (files/tickets.ts): the
 *  tutorial's `--pfunds` is `buyer`. Pure. */
import type { AppPermissions } from '../files/index.ts';
import type { AppRequest, AppRequestKind } from './messages.ts';

export type { AppPermissions } from '../files/index.ts';
export type Permission = keyof AppPermissions;

/** The one table: request kind → the permission it needs (reference/funder.md §5.6). */
export const REQUIRED_PERMISSION: { readonly [K in AppRequestKind]: Permission | 'none' } = Object.freeze({
  'add-relay': 'config',
  'remove-relay': 'config',
  'add-index-server': 'config',
  'remove-index-server': 'config',
  'add-friend': 'config',
  'remove-friend': 'config',
  'enable-friend': 'config',
  'disable-friend': 'config',
  'set-friend-name': 'config',
  'set-friend-relays': 'config',
  'add-friend-currency': 'config',
  'remove-friend-currency': 'config',
  'open-friend-currency': 'config',
  'close-friend-currency': 'config',
  'set-friend-currency-max-debt': 'config',
  'set-friend-currency-rate': 'config',
  'reset-friend-channel': 'config',
  'set-accept-auto-collect': 'config',
  'request-routes': 'routes',
  'create-payment': 'buyer',
  'create-transaction': 'buyer',
  'request-close-payment': 'buyer',
  'ack-close-payment': 'buyer',
  'add-invoice': 'seller',
  'cancel-invoice': 'seller',
  'commit-invoice': 'seller',
  // reads, like the report: every app with a ticket may (docs/app-protocol.md)
  'query-history': 'none',
  'query-friend-token': 'none',
});

export type PermissionCheck = { readonly ok: true } | { readonly ok: false; readonly missing: Permission };

/** Total: a request of a kind not in the table (impossible after decoding) is refused. */
export function checkPermission(perms: AppPermissions, request: AppRequest): PermissionCheck {
  const needed = (REQUIRED_PERMISSION as Record<string, Permission | 'none' | undefined>)[request.kind];
  if (needed === undefined) return { ok: false, missing: 'config' };
  if (needed === 'none') return { ok: true };
  return perms[needed] === true ? { ok: true } : { ok: false, missing: needed };
}

/** One sentence for an Ack's error message. */
export function describeMissingPermission(missing: Permission): string {
  const flag = missing === 'buyer' ? '--pbuyer (--pfunds)' : `--p${missing}`;
  return `the app's ticket lacks the ${missing} permission (stmgr app-ticket ${flag})`;
}
