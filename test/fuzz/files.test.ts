/** Mutation fuzzing of the file and QR readers (the wallet's import, drag and drop, the camera):
 *  every reader returns a FileError or a value; an accepted value formats to a file that reads
 *  back to the same value. Seeds are the writers' own output plus the original's shapes. */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src-core/codec/index.ts';
import { toBase64Url } from '../../src-core/codec/index.ts';
import { nodeBackend as backend } from '../../src-core/crypto/backend.node.ts';
import * as files from '../../src-core/files/index.ts';
import type { Commit, Invoice, Receipt } from '../../src-core/proto/index.ts';
import { fuzzConfig, fuzzTimeout, runFuzz, textTarget } from './harness.ts';

const cfg = fuzzConfig();
const b = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill).map((x, i) => (x + i * 7) & 0xff);
const ident = files.identFromSeed(backend, b(32, 3));
const appIdent = files.identFromSeed(backend, b(32, 4));

const invoice: Invoice = { invoiceId: b(32, 1), currency: 'FST', destPublicKey: ident.publicKey, totalDestPayment: 1234567n, description: 'two coffees ☕' };
const invoiceBare: Invoice = { invoiceId: b(32, 2), currency: 'USD', destPublicKey: ident.publicKey, totalDestPayment: (1n << 128n) - 1n };
const commit: Commit = {
  responseHash: b(32, 5), srcPlainLock: b(32, 6), destHashedLock: b(32, 7), destPayment: 60n, totalDestPayment: 100n,
  invoiceId: b(32, 1), currency: 'FST', signature: b(64, 8),
};
const receipt: Receipt = {
  responseHash: b(32, 5), invoiceId: b(32, 1), currency: 'FST', srcPlainLock: b(32, 6), destPlainLock: b(32, 9), isComplete: true,
  destPayment: 100n, totalDestPayment: 100n, signature: b(64, 10),
};
const friend: files.FriendFile = { publicKey: ident.publicKey, relays: [{ publicKey: b(32, 11), address: '127.0.0.1:9000' }, { publicKey: b(32, 12), address: 'relay.example:443' }], name: 'bob' };
const rcard: files.RemoteCard = { name: 'shop', nodePublicKey: ident.publicKey, address: '10.0.0.1:5000', appPrivateKey: appIdent.privateKey, appPublicKey: appIdent.publicKey };
const ticket: files.AddressTicket = { publicKey: ident.publicKey, address: '127.0.0.1:8000' };
const appTicket: files.AppTicket = { publicKey: appIdent.publicKey, permissions: { buyer: true, seller: false, config: true, routes: false } };

const k64 = (x: Uint8Array): string => toBase64Url(x);
// the shapes the seeds show for the original's files (ARCHITECTURE §4 "Files and QR codes")
const tutorialFriend = `public_key = "${k64(ident.publicKey)}"\n\n[[relays]]\npublic_key = "${k64(b(32, 11))}"\naddress = "127.0.0.1:9000"\n`;
const snakeInvoice = JSON.stringify({ invoice_id: k64(b(32, 1)), currency: 'FST', dest_public_key: k64(ident.publicKey), dest_payment: '60' });
const tomlInvoice = `invoice_id = "${k64(b(32, 1))}"\ncurrency = "FST"\ndest_public_key = "${k64(ident.publicKey)}"\ndest_payment = "60"\n`;

const isFileError = (e: unknown): boolean => typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string'
  && typeof (e as { message?: unknown }).message === 'string' && !(e instanceof Error);

/** An accepted value must survive format → parse unchanged. */
function roundTrips<T>(format: (v: T) => string, parse: (t: string) => Result<T, files.FileError>) {
  return (_text: string, value: T): string | undefined => {
    const again = parse(format(value));
    if (!again.ok) return `its formatted form is refused: ${again.error.message}`;
    return isDeepStrictEqual(again.value, value) ? undefined : 'its formatted form reads back as a different value';
  };
}

function reader<T>(name: string, seeds: string[], parse: (t: string) => Result<T, files.FileError>, format: (v: T) => string, iterations: number) {
  return [name, () => runFuzz(textTarget({ name, seeds, decode: parse, isError: isFileError, check: roundTrips(format, parse) }), iterations, cfg)] as const;
}

const anyFormat = (f: files.AnyFile): string => {
  switch (f.kind) {
    case 'ident': return files.formatIdent(f.value);
    case 'node-ticket': case 'relay-ticket': case 'index-ticket': return files.formatAddressTicket(f.kind, f.value);
    case 'app-ticket': return files.formatAppTicket(f.value);
    case 'friend': return files.formatFriend(f.value);
    case 'rcard': return files.formatRcard(f.value);
    case 'invoice': return files.formatInvoice(f.value);
    case 'commit': return files.formatCommit(f.value);
    case 'receipt': return files.formatReceipt(f.value);
  }
};

const allFiles = [
  files.formatIdent(ident), files.formatNodeTicket(ticket), files.formatRelayTicket(ticket), files.formatIndexTicket(ticket),
  files.formatAppTicket(appTicket), files.formatFriend(friend), files.formatRcard(rcard), files.formatInvoice(invoice),
  files.formatInvoice(invoiceBare), files.formatCommit(commit), files.formatReceipt(receipt),
];
const qrSeeds = [
  files.formatQrPayload({ kind: 'invoice', invoice }), files.formatQrPayload({ kind: 'invoice', invoice: invoiceBare }),
  files.formatQrPayload({ kind: 'commit', commit }), files.formatQrPayload({ kind: 'receipt', receipt }),
  files.formatQrPayload({ kind: 'friend', friend }), files.formatQrPayload({ kind: 'rcard', rcard }),
];

const TARGETS = [
  reader('files.parseAnyFile', allFiles, (t) => files.parseAnyFile(t, backend), anyFormat, 6000),
  reader('files.parseQrPayload', qrSeeds, (t) => files.parseQrPayload(t, backend), files.formatQrPayload, 5000),
  reader('files.parseIdent', [files.formatIdent(ident)], (t) => files.parseIdent(t, backend), files.formatIdent, 1500),
  reader('files.parseNodeTicket', [files.formatNodeTicket(ticket)], files.parseNodeTicket, files.formatNodeTicket, 1500),
  reader('files.parseAppTicket', [files.formatAppTicket(appTicket)], files.parseAppTicket, files.formatAppTicket, 1500),
  reader('files.parseFriend', [files.formatFriend(friend), tutorialFriend], files.parseFriend, files.formatFriend, 3000),
  reader('files.parseRcard', [files.formatRcard(rcard)], (t) => files.parseRcard(t, backend), files.formatRcard, 1500),
  reader('files.parseInvoice', [files.formatInvoice(invoice), files.formatInvoice(invoiceBare), snakeInvoice, tomlInvoice], files.parseInvoice, files.formatInvoice, 3000),
  reader('files.parseCommit', [files.formatCommit(commit)], files.parseCommit, files.formatCommit, 1500),
  reader('files.parseReceipt', [files.formatReceipt(receipt)], files.parseReceipt, files.formatReceipt, 1500),
];

describe('fuzz: file and QR readers return a FileError or a value that round-trips, never throw', () => {
  it.each(TARGETS)('%s', (_name, run) => {
    const stats = run();
    expect(stats.rejected).toBeGreaterThan(0);
    expect(stats.accepted).toBeGreaterThan(0);
    if (cfg.scale > 1) console.log(JSON.stringify(stats));
  }, fuzzTimeout(cfg));
});
