/** stctrl against a node-side app session over real TCP and the secure channel. The node's
 *  logic is a small scripted stand-in behind the real AppServerSession (the node itself is issue
 *  6 item 1): it turns config requests into report mutations and answers a payment as a node
 *  whose routes are free and whose destination collects. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AckResult, type AppPermissions, type AppRequest, AppServerSession, type FriendCurrencyReport, type NodeReport,
  type ReportMutation, ackError, ackOk, applyReportMutations, emptyReport, findFriend,
} from '../app/index.ts';
import { TUTORIAL_FRIENDS_TABLES } from '../app/tutorial-tables.ts';
import { toBase64Url } from '../codec/index.ts';
import { nodeBackend } from '../crypto/backend.node.ts';
import { identityFromSeed } from '../crypto/index.ts';
import {
  formatIdent, formatInvoice, parseCommit, formatNodeTicket, formatRelayTicket, identFromSeed, parseFriend, parseReceipt,
} from '../files/index.ts';
import { type FrameStream, secureChannel, systemClock } from '../net/index.ts';
import { type TcpServer, tcpListen } from '../net/tcp.node.ts';
import type { Commit, Receipt } from '../proto/index.ts';
import type { Io } from './program.ts';
import { connectToNode, main } from './stctrl.ts';
import { isOneLineFailure, runBin } from './it/spawn.ts';

const crypto = nodeBackend;
const seed = (i: number): Uint8Array => new Uint8Array(32).fill(i);
const nodeIdent = identFromSeed(crypto, seed(1));
const appIdent = identFromSeed(crypto, seed(2));
const friendKey = identFromSeed(crypto, seed(3)).publicKey;
const relayKey = identFromSeed(crypto, seed(4)).publicKey;

let dir: string;
let server: TcpServer;
let perms: AppPermissions = { buyer: true, seller: false, config: true, routes: true };
let report: NodeReport = emptyReport(nodeIdent.publicKey);
const seen: AppRequest[] = [];

function fst(c: Partial<FriendCurrencyReport>): FriendCurrencyReport {
  return {
    currency: 'FST', balance: 0n, localMaxDebt: 0n, remoteMaxDebt: 0n, localPendingDebt: 0n, remotePendingDebt: 0n,
    rate: { mul: 0, add: 0 }, localRequestsOpen: false, remoteRequestsOpen: false, ...c,
  };
}

function commitFor(r: Extract<AppRequest, { kind: 'create-payment' }>): Commit {
  return {
    responseHash: new Uint8Array(32), srcPlainLock: new Uint8Array(32), destHashedLock: new Uint8Array(32), destPayment: r.totalDestPayment,
    totalDestPayment: r.totalDestPayment, invoiceId: r.invoiceId, currency: r.currency, signature: new Uint8Array(64),
  };
}

/** The seller collected: what the node's report says about the payment afterwards. */
function sellerCollected(): void {
  report = applyReportMutations(report, report.openPayments.map((p) => ({ kind: 'set-open-payment' as const, payment: { ...p, stage: 'success' as const } })));
}

function receiptFor(r: Extract<AppRequest, { kind: 'create-payment' }>): Receipt {
  return {
    responseHash: new Uint8Array(32), invoiceId: r.invoiceId, currency: r.currency, srcPlainLock: new Uint8Array(32), destPlainLock: new Uint8Array(32),
    isComplete: true, destPayment: r.totalDestPayment, totalDestPayment: r.totalDestPayment, signature: new Uint8Array(64),
  };
}

/** The scripted node: what each request does to the report, and the payment's results. */
let payment: Extract<AppRequest, { kind: 'create-payment' }> | undefined;
let routeRate = { mul: 0, add: 0 };
let answer = false;
const sessions: AppServerSession[] = [];
const asked: string[] = [];
function script(session: AppServerSession) {
  const change = async (...ms: ReportMutation[]): Promise<AckResult> => {
    report = applyReportMutations(report, ms);
    await session.send({ kind: 'report-mutations', mutations: ms });
    return ackOk;
  };
  const currencyOf = (k: Uint8Array): FriendCurrencyReport => findFriend(report, k)?.currencies[0] ?? fst({});
  return async (r: AppRequest, requestId: Uint8Array): Promise<AckResult> => {
    seen.push(r);
    switch (r.kind) {
      case 'add-relay': return change({ kind: 'add-relay', relay: r.relay });
      case 'add-friend':
        return change({
          kind: 'add-friend', friend: {
            publicKey: r.friendPublicKey, name: r.name, relays: r.relays, enabled: false, online: false, channel: { kind: 'consistent' },
            currencies: r.initialBalances.map((b) => fst({ currency: b.currency, balance: b.balance })),
          },
        });
      case 'enable-friend':
        return change({ kind: 'set-friend-enabled', publicKey: r.friendPublicKey, enabled: true }, { kind: 'set-friend-online', publicKey: r.friendPublicKey, online: true });
      case 'set-friend-currency-max-debt':
        // The friend grants 150 in the tutorial; the scripted node shows it as LMD
        return change({ kind: 'set-friend-currency', publicKey: r.friendPublicKey, currency: { ...currencyOf(r.friendPublicKey), remoteMaxDebt: r.remoteMaxDebt, localMaxDebt: 150n } });
      case 'open-friend-currency':
        return change({ kind: 'set-friend-currency', publicKey: r.friendPublicKey, currency: { ...currencyOf(r.friendPublicKey), localRequestsOpen: true, remoteRequestsOpen: true } });
      case 'request-routes':
        await session.send({
          kind: 'routes-result', requestId,
          outcome: { kind: 'success', multiRoutes: [{ routes: [{ route: [r.source, r.destination], capacity: 1000n, rate: routeRate }] }] },
        });
        return ackOk;
      case 'create-payment':
        payment = r;
        if (r.autoCollect) return ackOk;
        // A payment the seller collects with the commit stays open until it does
        return change({
          kind: 'set-open-payment', payment: {
            paymentId: r.paymentId, invoiceId: r.invoiceId, currency: r.currency, totalDestPayment: r.totalDestPayment,
            destPublicKey: r.destPublicKey, stage: 'in-progress', numTransactions: 1,
          },
        });
      case 'create-transaction': {
        const outcome = payment?.autoCollect === false ? { kind: 'complete' as const, commit: commitFor(payment) } : { kind: 'success' as const };
        await session.send({ kind: 'transaction-result', transactionId: r.transactionId, outcome });
        return ackOk;
      }
      case 'request-close-payment': {
        const open = report.openPayments.find((x) => toBase64Url(x.paymentId) === toBase64Url(r.paymentId));
        if (payment === undefined || open?.stage === 'in-progress') return ackOk; // the status comes when it ends
        await session.send({ kind: 'payment-status', paymentId: r.paymentId, status: { kind: 'success', receipt: receiptFor(payment), ackUid: new Uint8Array(16) } });
        return ackOk;
      }
      case 'ack-close-payment': return ackOk;
      default: return ackError('invalid-request', `not scripted: ${r.kind}`);
    }
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'offset-stctrl-'));
  server = await tcpListen('127.0.0.1:0', (raw: FrameStream) => {
    void (async () => {
      const channel = await secureChannel(raw, { identity: identityFromSeed(crypto, nodeIdent.privateKey), crypto, clock: systemClock });
      let handle!: ReturnType<typeof script>;
      const session = new AppServerSession(channel, perms, { handle: (r, ctx) => handle(r, ctx.requestId) });
      handle = script(session);
      sessions.push(session);
      await session.start(report);
    })().catch(() => raw.close());
  });
  await writeFile(join(dir, 'app0.ident'), formatIdent(appIdent));
  await writeFile(join(dir, 'node0.ticket'), formatNodeTicket({ publicKey: nodeIdent.publicKey, address: server.address }));
  await writeFile(join(dir, 'my_relay.ticket'), formatRelayTicket({ publicKey: relayKey, address: '127.0.0.1:9000' }));
  await writeFile(join(dir, 'node1.friend'), `public_key = "${toBase64Url(friendKey)}"\n`);
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function stctrl(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => { out += t.endsWith('\n') ? t : `${t}\n`; }, err: (t) => { err += t.endsWith('\n') ? t : `${t}\n`; } };
  const deps = { crypto, connect: (i: string, t: string) => connectToNode(i, t), confirm: async (q: string) => { asked.push(q); return answer; } };
  const code = await main(['-I', join(dir, 'app0.ident'), '-T', join(dir, 'node0.ticket'), ...args], io, deps);
  return { code, out, err };
}

describe('stctrl, the tutorial steps', () => {
  it('says there are no friends yet', async () => {
    expect(await stctrl('info', 'friends')).toEqual({ code: 0, out: 'No configured friends.\n', err: '' });
  });

  it('adds a relay and lists it', async () => {
    expect((await stctrl('config', 'add-relay', '-n', 'relay0', '-r', join(dir, 'my_relay.ticket'))).code).toBe(0);
    expect((await stctrl('info', 'relays')).out).toBe([
      '| relay name | public key                                  | address        |',
      `| relay0     | ${toBase64Url(relayKey)} | 127.0.0.1:9000 |`,
      '',
    ].join('\n'));
  });

  it('adds, enables, limits and opens a friend, with the tables the tutorial shows', async () => {
    expect((await stctrl('config', 'add-friend', '-n', 'node1', '-f', join(dir, 'node1.friend'), '--balance=100')).code).toBe(0);
    expect((await stctrl('info', 'friends')).out).toBe([...TUTORIAL_FRIENDS_TABLES.afterAddFriend, ''].join('\n'));
    for (const args of [['enable-friend', '-n', 'node1'], ['set-friend-max-debt', '-n', 'node1', '-m', '200'], ['open-friend', '-n', 'node1']]) {
      expect(await stctrl('config', ...args)).toEqual({ code: 0, out: '', err: '' });
    }
    expect((await stctrl('info', 'friends')).out).toBe([...TUTORIAL_FRIENDS_TABLES.afterOpen, ''].join('\n'));
    const add = seen.find((r) => r.kind === 'add-friend');
    expect(add).toMatchObject({ name: 'node1', initialBalances: [{ currency: 'FST', balance: 100n }] });
  });

  it('sends funds and prints what the tutorial prints', async () => {
    const r = await stctrl('funds', 'send-funds', '--amount', '50', '--dest', toBase64Url(friendKey));
    expect(r).toEqual({ code: 0, out: 'Payment successful!\nFees: 0\n', err: '' });
    expect(seen.find((x) => x.kind === 'create-payment')).toMatchObject({ autoCollect: true, totalDestPayment: 50n, currency: 'FST' });
  });

  it('pays an invoice and writes the receipt', async () => {
    await writeFile(join(dir, 'bananas.invoice'), formatInvoice({
      invoiceId: new Uint8Array(32).fill(6), currency: 'FST', destPublicKey: friendKey, totalDestPayment: 60n,
    }));
    const r = await stctrl('funds', 'pay-invoice', '-i', join(dir, 'bananas.invoice'), '-r', join(dir, 'bananas.receipt'));
    expect(r).toEqual({ code: 0, out: 'Payment successful!\nFees: 0\n', err: '' });
    const receipt = parseReceipt(await readFile(join(dir, 'bananas.receipt'), 'utf8'));
    expect(receipt).toMatchObject({ ok: true, value: { destPayment: 60n, invoiceId: new Uint8Array(32).fill(6) } });
  });

  it('pays an invoice by commit, then fetches the receipt once the seller collected', async () => {
    const pay = await stctrl('buyer', 'pay-invoice', '-i', join(dir, 'bananas.invoice'), '-c', join(dir, 'bananas.commit'));
    expect(pay.code).toBe(0);
    const id = /^Payment id: ([A-Za-z0-9_-]{22})\n/.exec(pay.out)?.[1];
    expect(pay.out).toBe(`Payment id: ${String(id)}\nPayment successful!\nFees: 0\n`);
    expect(parseCommit(await readFile(join(dir, 'bananas.commit'), 'utf8'))).toMatchObject({ ok: true, value: { totalDestPayment: 60n } });
    expect((await stctrl('info', 'payments')).out).toContain(`| ${String(id)} | FST      | 60     |`);
    const status = ['buyer', 'payment-status', '-p', String(id), '-r', join(dir, 'paid.receipt')];
    expect((await stctrl(...status)).out).toBe('Payment is in progress; the seller has not collected yet.\n');
    sellerCollected();
    expect((await stctrl(...status)).out).toBe('Payment succeeded. Saving receipt to file.\n');
    expect(parseReceipt(await readFile(join(dir, 'paid.receipt'), 'utf8')).ok).toBe(true);
  });

  it("exports the node's friend file with its relays", async () => {
    expect((await stctrl('info', 'export-ticket', '-o', join(dir, 'node0.friend'))).code).toBe(0);
    const f = parseFriend(await readFile(join(dir, 'node0.friend'), 'utf8'));
    expect(f).toMatchObject({ ok: true, value: { publicKey: nodeIdent.publicKey, relays: [{ publicKey: relayKey, address: '127.0.0.1:9000' }] } });
  });

  it('prints the public key and the balance', async () => {
    expect((await stctrl('info', 'public-key')).out).toBe(`${toBase64Url(nodeIdent.publicKey)}\n`);
    expect((await stctrl('info', 'balance')).out).toBe('FST: 100\n');
  });
});

describe('stctrl fee confirmation', () => {
  it('pays nothing when the user does not confirm the fees, and pays them once confirmed or with --yes', async () => {
    routeRate = { mul: 0, add: 2 };
    const before = seen.filter((r) => r.kind === 'create-payment').length;
    const send = ['funds', 'send-funds', '--amount', '10', '--dest', toBase64Url(friendKey)];
    answer = false;
    const refused = await stctrl(...send);
    expect([refused.code, refused.out, refused.err]).toEqual([1, '', 'stctrl: not paid: the payment costs 2 FST in fees on top of 10 (confirm, or run again with --yes)\n']);
    expect(asked.at(-1)).toBe('The payment costs 2 FST in fees on top of 10. Pay?');
    expect(seen.filter((r) => r.kind === 'create-payment').length).toBe(before);
    answer = true;
    expect((await stctrl(...send)).out).toBe('Payment successful!\nFees: 2\n');
    answer = false;
    const questions = asked.length;
    expect((await stctrl(...send, '--yes')).out).toBe('Payment successful!\nFees: 2\n');
    expect(asked.length).toBe(questions);
    routeRate = { mul: 0, add: 0 };
  });
});

describe('stctrl seller commands', () => {
  it('waits for an invoice to be fully paid', async () => {
    perms = { ...perms, seller: true };
    const invoiceId = new Uint8Array(32).fill(12);
    report = applyReportMutations(report, [{ kind: 'set-open-invoice', invoice: { invoiceId, currency: 'FST', totalDestPayment: 60n, paidDestPayment: 0n } }]);
    await writeFile(join(dir, 'open.invoice'), formatInvoice({ invoiceId, currency: 'FST', destPublicKey: nodeIdent.publicKey, totalDestPayment: 60n }));
    const before = sessions.length;
    const waiting = stctrl('seller', 'wait-invoice', '-i', join(dir, 'open.invoice'));
    await expect.poll(() => sessions.length, { timeout: 20_000 }).toBeGreaterThan(before);
    const s = sessions.at(-1) as AppServerSession;
    let settled = false;
    void waiting.finally(() => { settled = true; });
    // stctrl subscribes a moment after connecting; the events are idempotent, so repeat them until it ends
    await expect.poll(async () => {
      await s.send({ kind: 'invoice-event', invoiceId: new Uint8Array(32).fill(1), event: { kind: 'canceled' } }); // another invoice
      await s.send({ kind: 'invoice-event', invoiceId, event: { kind: 'complete' } });
      return settled;
    }, { timeout: 20_000, interval: 20 }).toBe(true);
    expect(await waiting).toEqual({ code: 0, out: "Invoice is fully paid; waiting for the buyer's commit.\n", err: '' });
    expect((await stctrl('seller', 'wait-invoice', '-i', join(dir, 'bananas.invoice'))).out).toContain('No such open invoice');
    perms = { ...perms, seller: false };
  });
});

describe('stctrl errors', () => {
  it('refuses a seller command the ticket does not allow, in one line', async () => {
    const r = await stctrl('seller', 'create-invoice', '-a', '5', '-i', join(dir, 'x.invoice'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^stctrl: this app's ticket lacks the seller permission[^\n]*\n$/);
  });

  it('names a friend it does not know', async () => {
    const r = await stctrl('config', 'enable-friend', '-n', 'nobody');
    expect([r.code, r.err]).toEqual([1, 'stctrl: no friend named "nobody" (see info friends)\n']);
  });

  it('passes the node refusal on with its code', async () => {
    const r = await stctrl('config', 'disable-friend', '-n', 'node1');
    expect(r.code).toBe(1);
    expect(r.err).toContain('the node refused: invalid-request');
  });

  it('rejects a bad amount before connecting anything', async () => {
    const r = await stctrl('funds', 'send-funds', '--amount', '1.5', '--dest', toBase64Url(friendKey));
    expect(r.code).toBe(2);
    expect(r.err).toContain('--amount');
  });

  it('says when the node cannot be reached', async () => {
    await writeFile(join(dir, 'nowhere.ticket'), formatNodeTicket({ publicKey: nodeIdent.publicKey, address: '127.0.0.1:1' }));
    let err = '';
    const code = await main(['-I', join(dir, 'app0.ident'), '-T', join(dir, 'nowhere.ticket'), 'info', 'friends'], { out: () => {}, err: (t) => { err += t; } });
    expect(code).toBe(1);
    expect(err).toContain('cannot connect to the node at 127.0.0.1:1');
  });

  it('runs as the real program from bin/stctrl.js', async () => {
    const ok = await runBin('stctrl', ['-I', 'app0.ident', '-T', 'node0.ticket', 'info', 'relays'], dir);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(ok.stdout).toContain('| relay0     |');
    const bad = await runBin('stctrl', ['-I', 'missing.ident', '-T', 'node0.ticket', 'info', 'relays'], dir);
    expect(isOneLineFailure(bad)).toBe(true);
  });
});
