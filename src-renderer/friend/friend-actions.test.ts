import { describe, expect, it } from 'vitest';
import type { FriendCurrencyReport, FriendReport } from '../../src-core/app/index.ts';
import { formatFriend } from '../../src-core/files/index.ts';
import {
  addCurrencyRequest, relaysRequest, rateRequest, removalCheck, removeCurrencyRequest, renameRequest, resetRequest, resetView,
} from './friend-actions.ts';

const key = new Uint8Array(32).fill(7);
const token = new Uint8Array(64).fill(9);

function currency(c: Partial<FriendCurrencyReport> = {}): FriendCurrencyReport {
  return {
    currency: 'FST', balance: 0n, localMaxDebt: 0n, remoteMaxDebt: 0n, localPendingDebt: 0n, remotePendingDebt: 0n,
    rate: { mul: 0, add: 0 }, localRequestsOpen: false, remoteRequestsOpen: false, ...c,
  };
}

function friend(f: Partial<FriendReport> = {}): FriendReport {
  return { publicKey: key, name: 'Bob', relays: [], enabled: true, online: true, channel: { kind: 'consistent' }, currencies: [currency()], ...f };
}

describe('renameRequest and addCurrencyRequest', () => {
  it('trims the new name and refuses an empty or over-long one', () => {
    expect(renameRequest(friend(), '  Robert ')).toEqual({ ok: true, value: { kind: 'set-friend-name', friendPublicKey: key, name: 'Robert' } });
    expect(renameRequest(friend(), ' ')).toEqual({ ok: false, error: 'Enter the new name.' });
    expect(renameRequest(friend(), 'é'.repeat(33)).ok).toBe(false);
  });

  it('adds a new currency and refuses one the friend has', () => {
    expect(addCurrencyRequest(friend(), 'USD')).toEqual({ ok: true, value: { kind: 'add-friend-currency', friendPublicKey: key, currency: 'USD' } });
    expect(addCurrencyRequest(friend(), 'FST')).toEqual({ ok: false, error: 'Bob already has the currency FST.' });
    expect(addCurrencyRequest(friend(), 'X'.repeat(17)).ok).toBe(false);
  });
});

describe('relaysRequest', () => {
  const relay = { publicKey: new Uint8Array(32).fill(3), address: '127.0.0.1:4000' };
  it("takes the relays of the friend's newer friend file", () => {
    expect(relaysRequest(friend(), formatFriend({ publicKey: key, relays: [relay] })))
      .toEqual({ ok: true, value: { kind: 'set-friend-relays', friendPublicKey: key, relays: [relay] } });
  });

  it("refuses another friend's file, garbage and nothing", () => {
    expect(relaysRequest(friend(), formatFriend({ publicKey: new Uint8Array(32).fill(8), relays: [relay] })))
      .toEqual({ ok: false, error: "This friend file is not Bob's: its public key is another one." });
    expect(relaysRequest(friend(), 'hello').ok).toBe(false);
    expect(relaysRequest(friend(), ' ')).toEqual({ ok: false, error: "Paste or open Bob's new friend file." });
  });
});

describe('removeCurrencyRequest', () => {
  it('removes an unused currency', () => {
    expect(removeCurrencyRequest(friend(), 'FST')).toEqual({ ok: true, value: { kind: 'remove-friend-currency', friendPublicKey: key, currency: 'FST' } });
  });

  it('refuses a currency with a balance or pending payments', () => {
    expect(removeCurrencyRequest(friend({ currencies: [currency({ balance: -1n })] }), 'FST').ok).toBe(false);
    expect(removeCurrencyRequest(friend({ currencies: [currency({ remotePendingDebt: 2n })] }), 'FST').ok).toBe(false);
    expect(removeCurrencyRequest(friend(), 'USD')).toEqual({ ok: false, error: 'Bob has no currency USD.' });
  });
});

describe('rateRequest', () => {
  it('sets the rate of one of the friend currencies', () => {
    expect(rateRequest(friend(), 'FST', '1.5', '2'))
      .toEqual({ ok: true, value: { kind: 'set-friend-currency-rate', friendPublicKey: key, currency: 'FST', rate: { mul: 64424510, add: 2 } } });
  });

  it('refuses a negative or too precise rate and an unknown currency', () => {
    expect(rateRequest(friend(), 'FST', '-1', '0').ok).toBe(false);
    expect(rateRequest(friend(), 'FST', '0.00001', '0').ok).toBe(false);
    expect(rateRequest(friend(), 'USD', '1', '0').ok).toBe(false);
  });
});

describe('removalCheck', () => {
  it('allows removing a friend with nothing owed, without warnings', () => {
    expect(removalCheck(friend())).toEqual({ kind: 'allowed', warnings: [] });
  });

  it('warns about each non-zero balance in words', () => {
    const r = removalCheck(friend({ currencies: [currency({ balance: 5n }), currency({ currency: 'USD', balance: -1200n })] }));
    expect(r).toEqual({
      kind: 'allowed',
      warnings: [
        'Bob owes you 5 FST: after removing, this debt is forgotten by this card.',
        'You owe Bob 1,200 USD: after removing, this card forgets it, but Bob will not.',
      ],
    });
  });

  it('refuses while payments are pending with the friend', () => {
    const r = removalCheck(friend({ currencies: [currency({ localPendingDebt: 3n, remotePendingDebt: 1n })] }));
    expect(r).toEqual({ kind: 'refused', reason: 'Payments of 4 FST are still pending with Bob. Wait until they finish, then remove Bob.' });
  });
});

describe('resetView and resetRequest', () => {
  const inconsistent = (remote: boolean): FriendReport => friend({
    currencies: [],
    channel: {
      kind: 'inconsistent',
      localResetTerms: [{ currency: 'FST', balance: 10n }],
      remoteResetTerms: remote ? { resetToken: token, balanceForReset: [{ currency: 'FST', balance: -8n }] } : undefined,
    },
  });

  it('says nothing for a consistent channel and refuses to reset it', () => {
    expect(resetView(friend())).toBeUndefined();
    expect(resetRequest(friend()).ok).toBe(false);
  });

  it("shows the friend's terms in our view and explains what accepting does", () => {
    const v = resetView(inconsistent(true));
    expect(v?.ours).toEqual([{ currency: 'FST', balance: 10n }]);
    expect(v?.theirs).toEqual([{ currency: 'FST', balance: 8n }]);
    expect(v?.explanation.join(' ')).toContain('Bob proposes to start again from: Bob owes you 8 FST.');
    expect(v?.explanation.join(' ')).toContain('By this card\'s records: Bob owes you 10 FST.');
    expect(resetRequest(inconsistent(true))).toEqual({ ok: true, value: { kind: 'reset-friend-channel', friendPublicKey: key, resetToken: token } });
  });

  it('waits for the friend terms, and for the friend to be online', () => {
    expect(resetRequest(inconsistent(false))).toEqual({ ok: false, error: 'Bob has not sent its reset terms yet; wait until it is online.' });
    expect(resetRequest({ ...inconsistent(true), online: false }).ok).toBe(false);
  });
});
