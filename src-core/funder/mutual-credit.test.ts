import { describe, expect, it } from 'vitest';
import { identityFromSeed, nobleBackend } from '../crypto/index.ts';
import { type RequestOp, type ResponseOp, hashLock, responseHash, responseSignatureBuffer } from '../proto/index.ts';
import { I128_MAX, U128_MAX } from './amounts.ts';
import {
  type McContext, type MutualCredit, emptyMutualCredit, receiveCancel, receiveCollect, receiveRequest, receiveResponse,
  receiveCapacity, sendCancel, sendCollect, sendRequest, sendResponse,
} from './mutual-credit.ts';

const crypto = nobleBackend;
const fill = (n: number, v: number): Uint8Array => new Uint8Array(n).fill(v);
const local = fill(32, 0xaa);
const remote = fill(32, 0xbb);
const seller = identityFromSeed(crypto, fill(32, 1));
const ctx: McContext = { crypto, currency: 'OFFSET', localPublicKey: local, remotePublicKey: remote };
const srcPlain = fill(32, 1);
const destPlain = fill(32, 2);

function request(over: Partial<RequestOp> = {}): RequestOp {
  return {
    kind: 'request', requestId: fill(16, 3), srcHashedLock: hashLock(crypto, srcPlain), route: [local, remote, seller.publicKey],
    destPayment: 10n, totalDestPayment: 10n, invoiceId: fill(32, 0), leftFees: 5n, autoCollect: undefined, ...over,
  };
}

function response(req: RequestOp, isComplete: boolean, signer = seller, currency = 'OFFSET'): ResponseOp {
  const randNonce = fill(16, 5);
  const destHashedLock = hashLock(crypto, destPlain);
  const sig = signer.sign(responseSignatureBuffer(crypto, {
    responseHash: responseHash(crypto, req.requestId, randNonce), srcHashedLock: req.srcHashedLock, destHashedLock, isComplete,
    destPayment: req.destPayment, totalDestPayment: req.totalDestPayment, invoiceId: req.invoiceId, currency,
  }));
  return { kind: 'response', requestId: req.requestId, destHashedLock, isComplete, randNonce, signature: sig };
}

const triple = (mc: MutualCredit): [bigint, bigint, bigint] => [mc.balance, mc.localPendingDebt, mc.remotePendingDebt];
function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!r.ok) throw new Error(`unexpected ${r.error}`);
  return r.value;
}

describe('mutual credit (reference/funder.md §8.2)', () => {
  it('request, response, collect: freezes 15 then pays 15', () => {
    const req = request();
    let mc = unwrap(sendRequest(emptyMutualCredit(), req, undefined));
    expect(triple(mc)).toEqual([0n, 15n, 0n]);
    mc = unwrap(receiveResponse(mc, response(req, false), ctx)).mc;
    expect(triple(mc)).toEqual([0n, 15n, 0n]);
    mc = unwrap(receiveCollect(mc, { kind: 'collect', requestId: req.requestId, srcPlainLock: srcPlain, destPlainLock: destPlain }, ctx)).mc;
    expect(triple(mc)).toEqual([-15n, 0n, 0n]);
  });

  it('request then cancel unfreezes', () => {
    const req = request();
    let mc = unwrap(sendRequest(emptyMutualCredit(), req, undefined));
    mc = unwrap(receiveCancel(mc, { kind: 'cancel', requestId: req.requestId })).mc;
    expect(triple(mc)).toEqual([0n, 0n, 0n]);
  });

  it('accepts a cancel after a complete response', () => {
    const req = request();
    let mc = unwrap(sendRequest(emptyMutualCredit(), req, undefined));
    mc = unwrap(receiveResponse(mc, response(req, true), ctx)).mc;
    mc = unwrap(receiveCancel(mc, { kind: 'cancel', requestId: req.requestId })).mc;
    expect(triple(mc)).toEqual([0n, 0n, 0n]);
  });
});

describe('incoming request checks (§3.4)', () => {
  it.each([
    ['a route repeating a key', request({ route: [remote, remote] }), 'invalid-route'],
    ['dest payment above the total', request({ destPayment: 11n }), 'dest-payment-exceeds-total'],
    ['dest + fees overflowing u128', request({ destPayment: U128_MAX, totalDestPayment: U128_MAX, leftFees: 1n }), 'credits-calc-overflow'],
  ])('rejects %s', (_name, req, error) => {
    expect(receiveRequest(emptyMutualCredit(), req, 100n)).toEqual({ ok: false, error });
  });

  it('rejects a request id already pending', () => {
    const mc = unwrap(receiveRequest(emptyMutualCredit(), request(), 100n)).mc;
    expect(receiveRequest(mc, request(), 100n)).toEqual({ ok: false, error: 'request-already-exists' });
  });

  it('marks a request over the remote max debt for cancelling but records it', () => {
    const r = unwrap(receiveRequest(emptyMutualCredit(), request(), 14n));
    expect(r.message.kind).toBe('request-cancel');
    expect(triple(r.mc)).toEqual([0n, 0n, 15n]);
    expect(unwrap(receiveRequest(emptyMutualCredit(), request(), 15n)).message.kind).toBe('request');
  });

  it('treats remote max debt u128::MAX as unlimited without breaking the channel (§7.4)', () => {
    const big = request({ destPayment: 1n << 126n, totalDestPayment: 1n << 126n, leftFees: 0n });
    expect(unwrap(receiveRequest(emptyMutualCredit(), big, U128_MAX)).message.kind).toBe('request');
    // but never lets balance + rpd leave i128: cancelled, not an inconsistency
    const over = request({ destPayment: I128_MAX, totalDestPayment: I128_MAX, leftFees: 1n });
    expect(unwrap(receiveRequest(emptyMutualCredit(), over, U128_MAX)).message.kind).toBe('request-cancel');
  });
});

describe('incoming backwards op checks', () => {
  const req = request();
  const sent = unwrap(sendRequest(emptyMutualCredit(), req, undefined));

  it('rejects a response to an unknown request, with a bad signature, or twice', () => {
    expect(receiveResponse(emptyMutualCredit(), response(req, true), ctx)).toEqual({ ok: false, error: 'request-does-not-exist' });
    const other = identityFromSeed(crypto, fill(32, 9));
    expect(receiveResponse(sent, response(req, true, other), ctx)).toEqual({ ok: false, error: 'invalid-response-signature' });
    expect(receiveResponse(sent, response(req, true, seller, 'USD'), ctx)).toEqual({ ok: false, error: 'invalid-response-signature' });
    const responded = unwrap(receiveResponse(sent, response(req, true), ctx)).mc;
    expect(receiveResponse(responded, response(req, true), ctx)).toEqual({ ok: false, error: 'not-expecting-response' });
  });

  it('rejects a collect before the response or with wrong locks', () => {
    const collect = { kind: 'collect' as const, requestId: req.requestId, srcPlainLock: srcPlain, destPlainLock: destPlain };
    expect(receiveCollect(sent, collect, ctx)).toEqual({ ok: false, error: 'not-expecting-collect' });
    const responded = unwrap(receiveResponse(sent, response(req, true), ctx)).mc;
    expect(receiveCollect(responded, { ...collect, srcPlainLock: destPlain }, ctx)).toEqual({ ok: false, error: 'invalid-src-plain-lock' });
    expect(receiveCollect(responded, { ...collect, destPlainLock: srcPlain }, ctx)).toEqual({ ok: false, error: 'invalid-dest-plain-lock' });
  });

  it('rejects a cancel for an unknown request', () => {
    expect(receiveCancel(sent, { kind: 'cancel', requestId: fill(16, 9) })).toEqual({ ok: false, error: 'request-does-not-exist' });
  });
});

describe('outgoing ops (§3.3)', () => {
  it('mirrors the friend: its incoming request, our signed response and collect', () => {
    // We are the mediator-free destination: route empty, the signer is us.
    const me = identityFromSeed(crypto, fill(32, 4));
    const myCtx: McContext = { ...ctx, localPublicKey: me.publicKey };
    const req = request({ route: [] });
    let mc = unwrap(receiveRequest(emptyMutualCredit(), req, 100n)).mc;
    expect(sendResponse(mc, response(req, true, seller), myCtx)).toEqual({ ok: false, error: 'invalid-response-signature' });
    mc = unwrap(sendResponse(mc, response(req, true, me), myCtx));
    mc = unwrap(sendCollect(mc, { kind: 'collect', requestId: req.requestId, srcPlainLock: srcPlain, destPlainLock: destPlain }, myCtx));
    expect(triple(mc)).toEqual([15n, 0n, 0n]);
  });

  it('refuses a duplicate outgoing request id and a request that could push the balance below i128', () => {
    const mc = unwrap(sendRequest(emptyMutualCredit(), request(), undefined));
    expect(sendRequest(mc, request(), undefined)).toEqual({ ok: false, error: 'request-already-exists' });
    const huge = request({ destPayment: 1n << 127n, totalDestPayment: 1n << 127n, leftFees: 1n });
    expect(sendRequest(emptyMutualCredit(), huge, undefined)).toEqual({ ok: false, error: 'credits-calc-overflow' });
  });

  it('cancels a request the friend sent in any stage', () => {
    const req = request();
    const mc = unwrap(receiveRequest(emptyMutualCredit(), req, 100n)).mc;
    expect(triple(unwrap(sendCancel(mc, { kind: 'cancel', requestId: req.requestId })))).toEqual([0n, 0n, 0n]);
  });
});

describe('receive capacity (§3.6, §7.2 #10)', () => {
  it('is what the friend may still owe us, 0 when closed, clamped without overflow at the extremes', () => {
    const mc = { ...emptyMutualCredit(-5n), remotePendingDebt: 15n };
    expect(receiveCapacity(mc, 100n, true)).toBe(90n);
    expect(receiveCapacity(mc, 100n, false)).toBe(0n);
    expect(receiveCapacity({ ...emptyMutualCredit(I128_MAX), remotePendingDebt: U128_MAX }, 0n, true)).toBe(0n);
    expect(receiveCapacity({ ...emptyMutualCredit(-I128_MAX), remotePendingDebt: 0n }, U128_MAX, true)).toBe(U128_MAX);
  });
});
