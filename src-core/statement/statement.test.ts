import { describe, expect, it } from 'vitest';
import { encode, toBase64Url } from '../codec/index.ts';
import { nodeBackend as crypto } from '../crypto/backend.node.ts';
import { type Signer, identityFromSeed } from '../crypto/index.ts';
import { type HistoryEntry, type SignedFriendToken, commit as commitCodec, receipt as receiptCodec } from '../app/index.ts';
import {
  type Commit, type Receipt, type TokenInfo, hashLock, moveTokenSignatureBuffer, responseHash, responseSignatureBuffer, tokenInfoHash,
} from '../proto/index.ts';
import { buildStatement, formatStatement, parseStatement, verifyStatement, formatStatementCheck, type Statement } from './index.ts';

const signer = (n: number): Signer => identityFromSeed(crypto, new Uint8Array(32).fill(n));
const card = signer(1);
const friend = signer(2);
const seller = friend; // we pay the friend directly
const bytes = (n: number, v: number): Uint8Array => new Uint8Array(n).fill(v);

function signedReceipt(by: Signer, amount: bigint, seed: number, currency = 'FST'): Receipt {
  const srcPlainLock = bytes(32, seed);
  const destPlainLock = bytes(32, seed + 1);
  const rh = responseHash(crypto, bytes(16, seed), bytes(16, seed + 2));
  const invoiceId = bytes(32, seed + 3);
  const signature = by.sign(responseSignatureBuffer(crypto, {
    responseHash: rh, srcHashedLock: hashLock(crypto, srcPlainLock), destHashedLock: hashLock(crypto, destPlainLock), isComplete: true,
    destPayment: amount, totalDestPayment: amount, invoiceId, currency,
  }));
  return { responseHash: rh, invoiceId, currency, srcPlainLock, destPlainLock, isComplete: true, destPayment: amount, totalDestPayment: amount, signature };
}

function signedCommit(by: Signer, amount: bigint, seed: number): Commit {
  const srcPlainLock = bytes(32, seed);
  const destHashedLock = bytes(32, seed + 1);
  const rh = bytes(32, seed + 2);
  const invoiceId = bytes(32, seed + 3);
  const signature = by.sign(responseSignatureBuffer(crypto, {
    responseHash: rh, srcHashedLock: hashLock(crypto, srcPlainLock), destHashedLock, isComplete: true,
    destPayment: amount, totalDestPayment: amount, invoiceId, currency: 'FST',
  }));
  return { responseHash: rh, srcPlainLock, destHashedLock, destPayment: amount, totalDestPayment: amount, invoiceId, currency: 'FST', signature };
}

function friendToken(balance: bigint): SignedFriendToken {
  const tokenInfo: TokenInfo = {
    localPublicKey: friend.publicKey, remotePublicKey: card.publicKey,
    balances: [{ currency: 'FST', balance, localPendingDebt: 0n, remotePendingDebt: 0n }], inconsistencyCounter: 0n, moveTokenCounter: 7n,
  };
  const prefixHash = bytes(32, 9);
  const randNonce = bytes(16, 8);
  const newToken = friend.sign(moveTokenSignatureBuffer(crypto, prefixHash, tokenInfoHash(crypto, tokenInfo), randNonce));
  return { prefixHash, tokenInfo, randNonce, newToken };
}

const T0 = Date.UTC(2026, 10, 1);
const history: HistoryEntry[] = [
  { id: 'payment:01', kind: 'payment', time: T0 + 1000, currency: 'FST', amount: -5n, counterpart: toBase64Url(seller.publicKey), state: 'success', data: encode(receiptCodec, signedReceipt(seller, 5n, 10)), via: [] },
  { id: 'fee:01', kind: 'fee-paid', time: T0 + 1500, currency: 'FST', amount: -1n, counterpart: toBase64Url(friend.publicKey), state: 'paid', data: new Uint8Array(0), via: [] },
  { id: 'fee:09', kind: 'fee-earned', time: T0 + 1600, currency: 'FST', amount: 2n, counterpart: toBase64Url(signer(5).publicKey), state: 'earned', data: new Uint8Array(0), via: [] },
  { id: 'invoice:02', kind: 'invoice', time: T0 + 2000, currency: 'FST', amount: 20n, counterpart: undefined, state: 'collected', data: encode(commitCodec, signedCommit(card, 20n, 20)), via: [{ friend: toBase64Url(friend.publicKey), amount: 20n }] },
  { id: 'invoice:03', kind: 'received', time: T0 + 3000, currency: 'FST', amount: 7n, counterpart: undefined, state: 'collected', data: encode(receiptCodec, signedReceipt(card, 7n, 30)), via: [{ friend: toBase64Url(friend.publicKey), amount: 4n }, { friend: toBase64Url(signer(5).publicKey), amount: 3n }] },
  // not on the statement: canceled, open, another currency, outside the period
  { id: 'payment:04', kind: 'payment', time: T0 + 4000, currency: 'FST', amount: -3n, counterpart: toBase64Url(seller.publicKey), state: 'canceled', data: new Uint8Array(0), via: [] },
  { id: 'invoice:05', kind: 'invoice', time: T0 + 5000, currency: 'FST', amount: 3n, counterpart: undefined, state: 'open', data: new Uint8Array(0), via: [] },
  { id: 'payment:06', kind: 'payment', time: T0 + 6000, currency: 'EUR', amount: -1n, counterpart: toBase64Url(seller.publicKey), state: 'success', data: encode(receiptCodec, signedReceipt(seller, 1n, 60, 'EUR')), via: [] },
  { id: 'payment:07', kind: 'payment', time: T0 + 99_000, currency: 'FST', amount: -2n, counterpart: toBase64Url(seller.publicKey), state: 'success', data: encode(receiptCodec, signedReceipt(seller, 2n, 70)), via: [] },
];

function sample(): Statement {
  return buildStatement({
    card: card.publicKey, friend: friend.publicKey, currency: 'FST', from: T0, to: T0 + 10_000, createdAt: T0 + 50_000,
    history, friendToken: friendToken(-22n),
  }).statement;
}

const reasons = (s: Statement): string[] => {
  const c = verifyStatement(crypto, s);
  return [...c.lines.filter((l) => !l.ok).map((l) => `line ${l.line}: ${l.reason}`), ...c.problems, ...(c.balance?.ok === false ? [c.balance.reason] : [])];
};
const withCsv = (s: Statement, f: (csv: string) => string): Statement => ({ ...s, csv: f(s.csv) });

describe('a statement', () => {
  it('lists the settled lines of the period and currency, oldest first, each with its artifact', () => {
    const s = sample();
    expect(s.csv.split('\n')).toEqual([
      'line,time,kind,id,counterpart,currency,amount,state,artifact',
      `1,2026-11-01T00:00:01.000Z,payment,payment:01,${toBase64Url(seller.publicKey)},FST,-5,success,1`,
      `2,2026-11-01T00:00:01.500Z,fee-paid,fee:01,${toBase64Url(friend.publicKey)},FST,-1,paid,`,
      '3,2026-11-01T00:00:02.000Z,invoice,invoice:02,,FST,20,collected,2',
      '4,2026-11-01T00:00:03.000Z,received,invoice:03,,FST,7,collected,3',
      '',
    ]);
    expect(s.artifacts.map((a) => a.kind)).toEqual(['receipt', 'commit', 'receipt']);
    expect(s.signedBalance).toBe(22n);
  });

  it('verifies: every line against its signer, and the balance against the friend\'s token', () => {
    const c = verifyStatement(crypto, sample());
    expect(c.ok).toBe(true);
    expect(formatStatementCheck(c)).toEqual([
      'line 1: OK payment -5 FST — receipt signed by the seller',
      "line 2: OK (unsigned) fee-paid -1 FST — a fee: no signature of its own; the friend's signed balance includes it",
      'line 3: OK invoice 20 FST — commit signed by this card',
      'line 4: OK received 7 FST — receipt signed by this card',
      'balance: OK — balance 22 FST as the friend last signed it (move 7)',
      'Statement is valid! (4 lines)',
    ]);
  });

  it("lists an invoice only on the statements of the friends whose channels paid it; a row from before the node kept that, on every friend's", () => {
    const other = signer(5);
    const forOther = buildStatement({
      card: card.publicKey, friend: other.publicKey, currency: 'FST', from: T0, to: T0 + 10_000, createdAt: 0, history, friendToken: undefined,
    }).statement;
    // invoice:02 came through `friend` alone; invoice:03 was split over both; fee:09 was earned from `other`
    expect(forOther.csv.split('\n').slice(1, -1).map((l) => l.split(',')[3])).toEqual(['fee:09', 'invoice:03']);
    const legacy = history.map((r) => (r.id === 'invoice:02' ? { ...r, via: [] } : r));
    const withLegacy = buildStatement({
      card: card.publicKey, friend: other.publicKey, currency: 'FST', from: T0, to: T0 + 10_000, createdAt: 0, history: legacy, friendToken: undefined,
    }).statement;
    expect(withLegacy.csv.split('\n').slice(1, -1).map((l) => l.split(',')[3])).toEqual(['fee:09', 'invoice:02', 'invoice:03']);
    expect(verifyStatement(crypto, forOther).lines.every((l) => l.ok)).toBe(true);
  });

  it('lists a payment to someone further on for the friend whose channel carried it, by its via', () => {
    const other = signer(5);
    const far = signer(7);
    const routed: HistoryEntry = {
      id: 'payment:08', kind: 'payment', time: T0 + 8000, currency: 'FST', amount: -9n, counterpart: toBase64Url(far.publicKey), state: 'success',
      data: encode(receiptCodec, signedReceipt(far, 9n, 80)), via: [{ friend: toBase64Url(other.publicKey), amount: 9n }],
    };
    const of = (who: Uint8Array): string[] => buildStatement({
      card: card.publicKey, friend: who, currency: 'FST', from: T0, to: T0 + 10_000, createdAt: 0, history: [...history, routed], friendToken: undefined,
    }).statement.csv.split('\n').slice(1, -1).map((l) => l.split(',')[3] ?? '');
    expect(of(other.publicKey)).toEqual(['fee:09', 'invoice:03', 'payment:08']);
    expect(of(friend.publicKey)).not.toContain('payment:08');
    expect(of(far.publicKey)).not.toContain('payment:08'); // paid, but not through a channel with the seller
  });

  it('survives its file: format then parse gives the same statement', () => {
    const s = sample();
    const back = parseStatement(formatStatement(s));
    expect(back).toEqual({ ok: true, value: s });
  });

  it('rejects a changed amount, naming the artifact\'s', () => {
    expect(reasons(withCsv(sample(), (c) => c.replace(',FST,-5,', ',FST,-6,')))).toEqual(['line 1: the receipt is for 5, the line says 6']);
  });

  it('rejects a flipped signature bit', () => {
    const s = sample();
    const a = s.artifacts[1];
    if (a === undefined) throw new Error('no artifact');
    const b = a.bytes.slice();
    b[b.length - 1] = (b[b.length - 1] as number) ^ 1;
    const flipped = { ...s, artifacts: [s.artifacts[0], { ...a, bytes: b }, s.artifacts[2]] } as Statement;
    expect(reasons(flipped)).toEqual(["line 3: the commit's signature is not this card's"]);
  });

  it('rejects an added line, whether it reuses an artifact or brings a forged one', () => {
    const reuse = withCsv(sample(), (c) => `${c}5,2026-11-01T00:00:04.000Z,received,x,,FST,7,collected,3\n`);
    expect(reasons(reuse)).toEqual(['line 5: artifact 3 already backs line 4']);
    const forged = signedReceipt(signer(66), 50n, 40);
    const s = sample();
    const added = {
      ...withCsv(s, (c) => `${c}5,2026-11-01T00:00:04.000Z,received,x,,FST,50,collected,4\n`),
      artifacts: [...s.artifacts, { kind: 'receipt' as const, bytes: encode(receiptCodec, forged) }],
    };
    expect(reasons(added)).toEqual(["line 5: the receipt's signature is not this card's"]);
    const fee = withCsv(s, (c) => `${c}5,2026-11-01T00:00:04.000Z,fee-paid,fee:01,${s.friend},FST,-1,paid,\n`);
    expect(reasons(fee)).toEqual(['line 5: the same fee as line 2']);
    const feeWithArtifact = withCsv(s, (c) => c.replace(',-1,paid,\n', ',-1,paid,1\n'));
    expect(reasons(feeWithArtifact)).toEqual(['line 2: a fee line names no artifact']);
  });

  it('rejects a removed line (its artifact backs nothing), a line outside the period, and a signed balance the friend did not sign', () => {
    expect(reasons(withCsv(sample(), (c) => c.split('\n').filter((l) => !l.startsWith('3,')).join('\n').replace(/^4,/m, '3,')))).toEqual(['artifact 2 backs no line']);
    expect(reasons(withCsv(sample(), (c) => c.replace('2026-11-01T00:00:01.000Z', '2026-10-01T00:00:01.000Z')))).toEqual(['line 1: outside the statement period']);
    expect(reasons({ ...sample(), signedBalance: 23n })).toEqual(['the friend signed a balance of 22 FST, the statement says 23']);
    const other = buildStatement({
      card: card.publicKey, friend: signer(3).publicKey, currency: 'FST', from: T0, to: T0 + 10_000, createdAt: 0, history, friendToken: friendToken(-22n),
    }).statement;
    expect(reasons(other)).toContain("the move token's signature is not the friend's");
  });

  it('refuses hostile files with a reason, never a throw', () => {
    const good = formatStatement(sample());
    const cases: [string, RegExp][] = [
      ['', /not valid JSON/], ['[]', /JSON object/], ['{"kind":"x"}', /not a statement/],
      [good.replace('"csv"', '"csv2"'), /unknown field "csv2"/],
      [good.replace(/"data": "[^"]+"/, '"data": "***"'), /artifacts\[0\]\.data: expected base64url/],
      [good.replace('"signedBalance": "22"', '"signedBalance": "2.5"'), /signedBalance/],
      [good.replace(/"from": \d+/, '"from": -1'), /from/],
    ];
    for (const [text, why] of cases) {
      const r = parseStatement(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(why);
    }
  });
});
