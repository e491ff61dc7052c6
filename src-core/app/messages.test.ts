import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Codec, decodeExact, encode, hostileInputs, truncationsAndExtensions } from '../codec/index.ts';
import { type AppToNode, type NodeToApp, appRequest, appToNode, nodeToApp } from './messages.ts';
import { type NodeReport, nodeReport, reportMutation } from './node-report.ts';
import * as arb from './test-arbitraries.ts';

function roundTrips<T>(c: Codec<T>, v: T): void {
  const bytes = encode(c, v);
  const back = decodeExact(c, bytes);
  expect(back.ok).toBe(true);
  if (back.ok) {
    expect(back.value).toEqual(v);
    expect(encode(c, back.value)).toEqual(bytes); // one encoding per value
  }
}

function rejectsTruncationsAndTrailing<T>(c: Codec<T>, v: T): void {
  const bytes = encode(c, v);
  for (let n = 0; n < bytes.length; n++) expect(decodeExact(c, bytes.subarray(0, n)).ok).toBe(false);
  expect(decodeExact(c, Uint8Array.of(...bytes, 0)).ok).toBe(false);
}

const key = (i: number): Uint8Array => new Uint8Array(32).fill(i);

function sampleReport(): NodeReport {
  return {
    localPublicKey: key(9),
    relays: [{ publicKey: key(1), address: '127.0.0.1:9000', name: 'relay0' }],
    indexServers: [{ publicKey: key(2), address: '127.0.0.1:9100', name: 'index0' }],
    connectedIndexServer: key(2),
    friends: [{
      publicKey: key(3), name: 'node1', relays: [{ publicKey: key(1), address: '127.0.0.1:9000' }], enabled: true, online: true,
      channel: { kind: 'consistent' },
      currencies: [
        {
          currency: 'EUR', balance: -5n, localMaxDebt: 1n, remoteMaxDebt: 2n, localPendingDebt: 3n, remotePendingDebt: 4n,
          rate: { mul: 1, add: 2 }, localRequestsOpen: false, remoteRequestsOpen: true,
        },
        {
          currency: 'FST', balance: 100n, localMaxDebt: 150n, remoteMaxDebt: 200n, localPendingDebt: 0n, remotePendingDebt: 0n,
          rate: { mul: 0, add: 0 }, localRequestsOpen: true, remoteRequestsOpen: true,
        },
      ],
    }],
    openInvoices: [{ invoiceId: key(4), currency: 'FST', totalDestPayment: 60n, paidDestPayment: 0n }],
    openPayments: [],
  };
}

describe('app protocol codecs', () => {
  it('round-trips every AppToNode message', () => {
    fc.assert(fc.property(arb.appToNode, (m) => roundTrips(appToNode, m)), { numRuns: 300 });
  });

  it('round-trips every NodeToApp message, reports and mutations included', () => {
    fc.assert(fc.property(arb.nodeToApp, (m) => roundTrips(nodeToApp, m)), { numRuns: 300 });
  });

  it('returns an error, never throws, for arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      for (const c of [appToNode, nodeToApp, nodeReport, reportMutation] as Codec<unknown>[]) {
        const r = decodeExact(c, bytes);
        if (r.ok) expect(encode(c, r.value)).toEqual(bytes); // whatever decodes is canonical
      }
    }), { numRuns: 2000 });
  });

  it.each(hostileInputs().map((h) => [h.name, h.bytes] as const))('answers the shared hostile input %s with a result, never a throw', (_name, bytes) => {
    for (const c of [appToNode, nodeToApp, nodeReport, reportMutation, appRequest] as Codec<unknown>[]) {
      const r = decodeExact(c, bytes);
      if (r.ok) expect(encode(c, r.value)).toEqual(bytes);
    }
  });

  it('rejects the shared truncations and extensions of a report message', () => {
    const bytes = encode(nodeToApp, { kind: 'report', permissions: { buyer: true, seller: false, config: true, routes: false }, report: sampleReport() });
    for (const h of truncationsAndExtensions(bytes)) expect(decodeExact(nodeToApp, h.bytes).ok, h.name).toBe(false);
  });

  it('rejects every truncation and any trailing byte of a report', () => {
    rejectsTruncationsAndTrailing(nodeReport, sampleReport());
  });

  it('rejects every truncation and any trailing byte of each sample request', () => {
    fc.assert(fc.property(arb.appToNode, (m) => rejectsTruncationsAndTrailing(appToNode, m)), { numRuns: 100 });
  });

  it('rejects a report listing the same friend twice', () => {
    const r = sampleReport();
    expect(() => encode(nodeReport, { ...r, friends: [r.friends[0]!, r.friends[0]!] })).toThrow(RangeError);
    const res = decodeExact(nodeReport, spliceDuplicateFriend(r));
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('invalid');
  });

  it('rejects a friend whose currencies are not sorted', () => {
    const r = sampleReport();
    const f = r.friends[0]!;
    const swapped = { ...r, friends: [{ ...f, currencies: [f.currencies[1]!, f.currencies[0]!] }] };
    const bytes = encode(nodeReport, swapped); // the encoder writes what it is given
    const res = decodeExact(nodeReport, bytes);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('non-canonical');
  });

  it('rejects an unknown request tag, an unknown error code and a bool that is not 0 or 1', () => {
    const req: AppToNode = { requestId: new Uint8Array(16), request: { kind: 'enable-friend', friendPublicKey: key(1) } };
    const bytes = encode(appToNode, req);
    const badTag = bytes.slice();
    badTag[16] = 200;
    expect(decodeExact(appToNode, badTag).ok).toBe(false);

    const ack: NodeToApp = {
      kind: 'ack', requestId: new Uint8Array(16), result: { kind: 'error', error: { code: 'friend-does-not-exist', message: '' } },
    };
    const ackBytes = encode(nodeToApp, ack);
    const badCode = ackBytes.slice();
    badCode[1 + 16 + 1] = 250; // tag, request id, result tag, then the code's index
    const res = decodeExact(nodeToApp, badCode);
    expect(res.ok).toBe(false);

    const pay = encode(appRequest, {
      kind: 'create-payment', paymentId: new Uint8Array(16), invoiceId: new Uint8Array(32), currency: 'FST',
      totalDestPayment: 1n, destPublicKey: key(1), autoCollect: true,
    });
    const badBool = pay.slice();
    badBool[badBool.length - 1] = 2;
    expect(decodeExact(appRequest, badBool).ok).toBe(false);
  });

  it('rejects a name longer than 128 bytes and invalid UTF-8', () => {
    const good = encode(appRequest, { kind: 'set-friend-name', friendPublicKey: key(1), name: 'a' });
    expect(() => encode(appRequest, { kind: 'set-friend-name', friendPublicKey: key(1), name: 'a'.repeat(129) })).toThrow(RangeError);
    const long = new Uint8Array(1 + 32 + 4 + 129);
    long.set(good.subarray(0, 33));
    new DataView(long.buffer).setUint32(33, 129);
    long.fill(0x61, 37);
    expect(decodeExact(appRequest, long).ok).toBe(false);
    const badUtf8 = good.slice();
    badUtf8[badUtf8.length - 1] = 0xff;
    expect(decodeExact(appRequest, badUtf8).ok).toBe(false);
  });

  it('rejects an amount that is negative or beyond u128 when encoding', () => {
    expect(() => encode(appRequest, { kind: 'add-invoice', invoiceId: key(1), currency: 'FST', totalDestPayment: -1n })).toThrow(RangeError);
    expect(() => encode(appRequest, { kind: 'add-invoice', invoiceId: key(1), currency: 'FST', totalDestPayment: 1n << 128n })).toThrow(RangeError);
  });
});

/** The report's encoding with its one friend written twice (list count patched to 2). */
function spliceDuplicateFriend(r: NodeReport): Uint8Array {
  const before = encode(nodeReport, { ...r, friends: [], openInvoices: [], openPayments: [] });
  const withOne = encode(nodeReport, { ...r, openInvoices: [], openPayments: [] });
  const tail = encode(nodeReport, { ...r, friends: [] }).subarray(before.length);
  const countAt = before.length - 4 - 4 - 4 - 4; // friends count, then the three empty lists' counts
  const friendBytes = withOne.subarray(countAt + 4, withOne.length - 12);
  const out = new Uint8Array(countAt + 4 + 2 * friendBytes.length + tail.length);
  out.set(before.subarray(0, countAt));
  new DataView(out.buffer).setUint32(countAt, 2);
  out.set(friendBytes, countAt + 4);
  out.set(friendBytes, countAt + 4 + friendBytes.length);
  out.set(tail, countAt + 4 + 2 * friendBytes.length);
  return out;
}
