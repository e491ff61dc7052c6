import { describe, expect, it } from 'vitest';
import type { FriendCurrencyReport, FriendReport, NodeReport } from '../../src-core/app/index.ts';
import { gettingStarted, readyToBePaid } from './getting-started.ts';

const key = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const empty: NodeReport = {
  localPublicKey: key(1), relays: [], indexServers: [], connectedIndexServer: undefined, friends: [], openInvoices: [], openPayments: [],
};
const fst = (c: Partial<FriendCurrencyReport> = {}): FriendCurrencyReport => ({
  currency: 'FST', balance: 0n, localMaxDebt: 0n, remoteMaxDebt: 0n, localPendingDebt: 0n, remotePendingDebt: 0n,
  rate: { mul: 0, add: 0 }, localRequestsOpen: false, remoteRequestsOpen: false, ...c,
});
const friend = (f: Partial<FriendReport> = {}): FriendReport => ({
  publicKey: key(2), name: 'bob', relays: [], enabled: false, online: false, channel: { kind: 'consistent' }, currencies: [fst()], ...f,
});
const undone = (r: NodeReport): string[] => gettingStarted(r).filter((s) => !s.done).map((s) => s.id);

describe('getting a new card ready to be paid', () => {
  it('starts with every step to do, and says what to add first', () => {
    const steps = gettingStarted(empty);
    expect(undone(empty)).toEqual(['relay', 'index', 'friend', 'friend-online', 'credit']);
    expect(steps[0]?.text).toMatch(/Add a relay/);
    expect(readyToBePaid(steps)).toBe(false);
  });

  it('counts a relay only once the node listens on it, and an index server once connected', () => {
    const relay = { publicKey: key(3), address: '127.0.0.1:1', name: 'r' };
    const added = { ...empty, relays: [relay] };
    expect(undone(added)).toContain('relay');
    expect(gettingStarted(added)[0]?.text).toMatch(/Wait for the relay/);
    expect(undone({ ...added, connectedRelays: [key(3)] })).not.toContain('relay');
    expect(gettingStarted({ ...added, connectedRelays: [key(3)] })[0]?.text).toMatch(/A relay is connected/);
    expect(undone({ ...empty, connectedIndexServer: key(4) })).not.toContain('index');
  });

  it('needs an enabled friend online who may owe more than it does, with requests open', () => {
    const base = { ...empty, connectedRelays: [key(3)], connectedIndexServer: key(4) };
    expect(undone({ ...base, friends: [friend()] })).toEqual(['friend-online', 'credit']);
    const online = friend({ enabled: true, online: true });
    expect(undone({ ...base, friends: [online] })).toEqual(['credit']);
    const full = friend({ enabled: true, online: true, currencies: [fst({ remoteMaxDebt: 100n, balance: 60n, remotePendingDebt: 40n, localRequestsOpen: true })] });
    expect(undone({ ...base, friends: [full] })).toEqual(['credit']); // no room left: owes 60, 40 more on the way
    const ready = friend({ enabled: true, online: true, currencies: [fst({ remoteMaxDebt: 100n, localRequestsOpen: true })] });
    expect(readyToBePaid(gettingStarted({ ...base, friends: [ready] }))).toBe(true);
    const closed = friend({ enabled: true, online: true, currencies: [fst({ remoteMaxDebt: 100n })] });
    expect(undone({ ...base, friends: [closed] })).toEqual(['credit']);
  });
});
