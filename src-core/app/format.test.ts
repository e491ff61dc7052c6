import { describe, expect, it } from 'vitest';
import { fromBase64Url } from '../codec/index.ts';
import {
  formatBalance, formatFriendsTable, formatIndexServers, formatOpenInvoices, formatOpenPayments, formatPaymentSuccess,
  formatPublicKey, formatRelays, formatTable,
} from './format.ts';
import type { FriendCurrencyReport, FriendReport, NodeReport } from './node-report.ts';
import { emptyReport } from './report.ts';
import { TUTORIAL_FRIENDS_TABLES as TUTORIAL } from './tutorial-tables.ts';

const key = (i: number): Uint8Array => new Uint8Array(32).fill(i);
const b64 = (s: string): Uint8Array => {
  const b = fromBase64Url(s);
  if (b === undefined) throw new Error('bad test key');
  return b;
};

function fst(over: Partial<FriendCurrencyReport> = {}): FriendCurrencyReport {
  return {
    currency: 'FST', balance: 100n, localMaxDebt: 0n, remoteMaxDebt: 0n, localPendingDebt: 0n, remotePendingDebt: 0n,
    rate: { mul: 0, add: 0 }, localRequestsOpen: false, remoteRequestsOpen: false, ...over,
  };
}

function withFriend(f: Partial<FriendReport>, currencies: FriendCurrencyReport[] = [fst()]): NodeReport {
  return {
    ...emptyReport(key(9)),
    friends: [{ publicKey: key(1), name: 'node1', relays: [], enabled: false, online: false, channel: { kind: 'consistent' }, currencies, ...f }],
  };
}

const text = (lines: readonly string[]): string => `${lines.join('\n')}\n`;

describe('formatFriendsTable', () => {
  it('says there are no friends as the tutorial shows', () => {
    expect(formatFriendsTable(emptyReport(key(9)))).toBe('No configured friends.\n');
  });

  it.each([
    ['after add-friend --balance=100', withFriend({}), TUTORIAL.afterAddFriend],
    ['after enable-friend', withFriend({ enabled: true, online: true }), TUTORIAL.afterEnable],
    ['after set-friend-max-debt on both sides', withFriend({ enabled: true, online: true }, [fst({ localMaxDebt: 150n, remoteMaxDebt: 200n })]),
      TUTORIAL.afterMaxDebt],
    ['after open-friend on both sides', withFriend({ enabled: true, online: true },
      [fst({ localMaxDebt: 150n, remoteMaxDebt: 200n, localRequestsOpen: true, remoteRequestsOpen: true })]), TUTORIAL.afterOpen],
  ])('matches the tutorial %s', (_when, report, expected) => {
    expect(formatFriendsTable(report)).toBe(text(expected));
  });

  it('tags other currencies and widens the column for big numbers', () => {
    const out = formatFriendsTable(withFriend({ name: 'bob' }, [
      fst({ currency: 'EUR', balance: -(1n << 100n), localRequestsOpen: true }),
      fst(),
    ]));
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 12);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1); // every row is as wide as the header
    expect(lines[1]).toContain('C[EUR]: LR=+, RR=-');
    expect(lines[2]).toContain('B  =-1267650600228229401496703205376');
    expect(lines[7]).toContain('C: LR=-, RR=-');
  });

  it('shows an inconsistent channel with both sides’ reset terms, or RT=? before the friend’s arrive', () => {
    const pending = formatFriendsTable(withFriend({
      channel: { kind: 'inconsistent', localResetTerms: [{ currency: 'FST', balance: 40n }], remoteResetTerms: undefined },
    }));
    expect(pending).toBe(text([
      '| st | name  | balance |',
      '| D- | node1 | I:      |',
      '|    |       | LT=40   |',
      '|    |       | RT=?    |',
    ]));
    const known = formatFriendsTable(withFriend({
      channel: {
        kind: 'inconsistent', localResetTerms: [{ currency: 'USD', balance: 1n }, { currency: 'FST', balance: 40n }],
        remoteResetTerms: { resetToken: new Uint8Array(64), balanceForReset: [{ currency: 'FST', balance: -40n }] },
      },
    }));
    expect(known).toBe(text([
      '| st | name  | balance   |',
      '| D- | node1 | I:        |',
      '|    |       | LT=40     |',
      '|    |       | LT[USD]=1 |',
      '|    |       | RT=-40    |',
    ]));
  });

  it('keeps control characters in names out of the table', () => {
    const out = formatFriendsTable(withFriend({ name: 'evil\n| E+ | x' }));
    expect(out.split('\n')[1]).toContain('evil?| E+ | x');
    expect(out.trimEnd().split('\n')).toHaveLength(7);
    expect(formatFriendsTable(withFriend({ name: 'abc\u202edef' }))).toContain('abc?def');
  });
});

describe('formatRelays and formatIndexServers', () => {
  it('lays out relays as the tutorial does (its address cell was left empty in the text)', () => {
    const report: NodeReport = {
      ...emptyReport(key(9)),
      relays: [{ publicKey: b64('Brvo3Fo0O2svzU1rFdcBL6FtLVNL6b8xJNAWgZc7ll0'), address: '127.0.0.1:9000', name: 'relay0' }],
    };
    expect(formatRelays(report)).toBe(text([
      '| relay name | public key                                  | address        |',
      '| relay0     | Brvo3Fo0O2svzU1rFdcBL6FtLVNL6b8xJNAWgZc7ll0 | 127.0.0.1:9000 |',
    ]));
  });

  it('marks the connected index server with (*) as the tutorial does', () => {
    const k = b64('LMncLsod0HGDG66kEJJ3kki68CAGfjDsPTdGdLsyD5M');
    const report: NodeReport = {
      ...emptyReport(key(9)),
      indexServers: [{ publicKey: k, address: '127.0.0.1:9100', name: 'index0' }],
      connectedIndexServer: k,
    };
    expect(formatIndexServers(report)).toBe(text([
      '| index server name | public key                                  | address        |',
      '| index0 (*)        | LMncLsod0HGDG66kEJJ3kki68CAGfjDsPTdGdLsyD5M | 127.0.0.1:9100 |',
    ]));
    expect(formatIndexServers({ ...report, connectedIndexServer: undefined })).toContain('| index0            |');
  });

  it('says when nothing is configured', () => {
    expect(formatRelays(emptyReport(key(9)))).toBe('No configured relay servers.\n');
    expect(formatIndexServers(emptyReport(key(9)))).toBe('No configured index servers.\n');
  });
});

describe('formatBalance', () => {
  it('sums each currency over friends, counting an inconsistent channel by our reset terms', () => {
    const r = withFriend({}, [fst({ balance: 50n }), fst({ currency: 'USD', balance: -3n })]);
    const second: FriendReport = {
      ...r.friends[0]!, publicKey: key(2), name: 'node2',
      channel: { kind: 'inconsistent', localResetTerms: [{ currency: 'FST', balance: -20n }], remoteResetTerms: undefined },
    };
    expect(formatBalance({ ...r, friends: [...r.friends, second] })).toBe('FST: 30\nUSD: -3\n');
  });

  it('prints a zero default-currency balance with no friends', () => {
    expect(formatBalance(emptyReport(key(9)))).toBe('FST: 0\n');
  });
});

describe('formatOpenInvoices and formatOpenPayments', () => {
  it('lists open invoices with the sum paid so far', () => {
    const r: NodeReport = { ...emptyReport(key(9)), openInvoices: [{ invoiceId: key(0), currency: 'FST', totalDestPayment: 60n, paidDestPayment: 20n }] };
    expect(formatOpenInvoices(r)).toBe(text([
      '| invoice id                                  | currency | amount | paid |',
      '| AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA | FST      | 60     | 20   |',
    ]));
    expect(formatOpenInvoices(emptyReport(key(9)))).toBe('No open invoices.\n');
  });

  it('lists open payments with the id payment-status takes', () => {
    const r: NodeReport = {
      ...emptyReport(key(9)),
      openPayments: [{
        paymentId: new Uint8Array(16), invoiceId: key(1), currency: 'FST', totalDestPayment: 5n, destPublicKey: key(0), stage: 'in-progress', numTransactions: 1,
      }],
    };
    expect(formatOpenPayments(r)).toBe(text([
      '| payment id             | currency | amount | destination                                 | stage       |',
      '| AAAAAAAAAAAAAAAAAAAAAA | FST      | 5      | AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA | in-progress |',
    ]));
    expect(formatOpenPayments(emptyReport(key(9)))).toBe('No open payments.\n');
  });
});

describe('other outputs', () => {
  it('prints the public key as the base64url text send-funds --dest takes', () => {
    const k = b64('bUoWZEEInqjDdw8TOBlpY0zpHF7hjLMAX_DdPrTI9y8');
    expect(formatPublicKey(emptyReport(k))).toBe('bUoWZEEInqjDdw8TOBlpY0zpHF7hjLMAX_DdPrTI9y8\n');
  });

  it('prints a payment as the tutorial does', () => {
    expect(formatPaymentSuccess(0n)).toBe('Payment successful!\nFees: 0\n');
  });

  it('pads by characters, not bytes', () => {
    expect(formatTable(['a'], [['é'], ['ab']])).toBe('| a  |\n| é  |\n| ab |\n');
  });
});
