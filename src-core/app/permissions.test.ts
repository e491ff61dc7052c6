import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_PERMISSIONS, parseAppTicket } from '../files/index.ts';
import type { AppRequest, AppRequestKind } from './messages.ts';
import { type AppPermissions, type Permission, REQUIRED_PERMISSION, checkPermission, describeMissingPermission } from './permissions.ts';
import * as arb from './test-arbitraries.ts';

/** reference/funder.md §5.6: config ops need config, buyer ops buyer, invoice ops seller, routes routes. */
const EXPECTED: [AppRequestKind, Permission][] = [
  ['add-relay', 'config'], ['remove-relay', 'config'], ['add-index-server', 'config'], ['remove-index-server', 'config'],
  ['add-friend', 'config'], ['remove-friend', 'config'], ['enable-friend', 'config'], ['disable-friend', 'config'],
  ['set-friend-name', 'config'], ['set-friend-relays', 'config'], ['add-friend-currency', 'config'],
  ['remove-friend-currency', 'config'], ['open-friend-currency', 'config'], ['close-friend-currency', 'config'],
  ['set-friend-currency-max-debt', 'config'], ['set-friend-currency-rate', 'config'], ['reset-friend-channel', 'config'],
  ['set-accept-auto-collect', 'config'],
  ['request-routes', 'routes'],
  ['create-payment', 'buyer'], ['create-transaction', 'buyer'], ['request-close-payment', 'buyer'], ['ack-close-payment', 'buyer'],
  ['add-invoice', 'seller'], ['cancel-invoice', 'seller'], ['commit-invoice', 'seller'],
];
/** Reads, like the report: any app with a ticket (docs/app-protocol.md). */
const READS: AppRequestKind[] = ['query-history', 'query-friend-token'];

const only = (p: Permission): AppPermissions => ({ ...NO_PERMISSIONS, [p]: true });
const allBut = (p: Permission): AppPermissions => ({ buyer: true, seller: true, config: true, routes: true, [p]: false });

function sampleOf(kind: AppRequestKind): AppRequest {
  const [r] = fc.sample(arb.request.filter((x) => x.kind === kind), { numRuns: 1, seed: 7 });
  return r as AppRequest;
}

describe('checkPermission', () => {
  it('covers every request kind exactly once', () => {
    expect([...EXPECTED.map(([k]) => k), ...READS].sort()).toEqual(Object.keys(REQUIRED_PERMISSION).sort());
  });

  it.each(READS)('%s needs no permission', (kind) => {
    expect(checkPermission(NO_PERMISSIONS, sampleOf(kind))).toEqual({ ok: true });
  });

  it.each(EXPECTED)('%s needs %s', (kind, perm) => {
    const req = sampleOf(kind);
    expect(checkPermission(only(perm), req)).toEqual({ ok: true });
    expect(checkPermission(allBut(perm), req)).toEqual({ ok: false, missing: perm });
    expect(checkPermission(NO_PERMISSIONS, req)).toEqual({ ok: false, missing: perm });
  });

  it("lets the tutorial's --pconfig --pfunds --proutes app do everything but sell", () => {
    const t = parseAppTicket(JSON.stringify({
      kind: 'app-ticket', publicKey: 'A'.repeat(43), permissions: { config: true, funds: true, routes: true },
    }));
    expect(t.ok).toBe(true);
    if (!t.ok) return;
    for (const [kind, perm] of EXPECTED) {
      expect(checkPermission(t.value.permissions, sampleOf(kind)).ok).toBe(perm !== 'seller');
    }
  });

  it('refuses a request whose kind it does not know', () => {
    const odd = { kind: 'format-disk' } as unknown as AppRequest;
    expect(checkPermission({ buyer: true, seller: true, config: true, routes: true }, odd).ok).toBe(false);
  });

  it('names the stmgr flag that grants a missing permission', () => {
    expect(describeMissingPermission('buyer')).toContain('--pfunds');
    expect(describeMissingPermission('seller')).toContain('--pseller');
  });
});
