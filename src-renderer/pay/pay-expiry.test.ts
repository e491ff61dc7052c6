import { describe, expect, it } from 'vitest';
import type { FriendReport, NodeReport } from '../../src-core/app/index.ts';
import { formatQrPayload } from '../../src-core/files/index.ts';
import { invoiceToPay } from './pay-model.ts';

const k = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const friend: FriendReport = {
  publicKey: k(2), name: 'Shop', relays: [], enabled: true, online: true, channel: { kind: 'consistent' } as FriendReport['channel'],
  currencies: [{ currency: 'FST', balance: 0n, localMaxDebt: 0n, remoteMaxDebt: 0n, localPendingDebt: 0n, remotePendingDebt: 0n, rate: { mul: 0, add: 0 }, localRequestsOpen: true, remoteRequestsOpen: true }],
};
const report: NodeReport = { localPublicKey: k(1), relays: [], indexServers: [], connectedIndexServer: undefined, friends: [friend], openInvoices: [], openPayments: [] };

describe('an expiring invoice on the Pay tab', () => {
  it('is payable until its time and refused from then on, with a sentence', () => {
    const text = formatQrPayload({ kind: 'invoice', invoice: { invoiceId: k(7), currency: 'FST', destPublicKey: k(2), totalDestPayment: 5n, expiresAt: 1000 } });
    expect(invoiceToPay(text, report, 999)).toMatchObject({ ok: true, value: { expiresAt: 1000 } });
    expect(invoiceToPay(text, report, 1000)).toMatchObject({ ok: false, error: expect.stringMatching(/^This invoice expired on .*Nothing was paid/) });
  });
});
