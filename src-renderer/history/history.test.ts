import { describe, expect, it } from 'vitest';
import { type HistoryEntry, type NodeReport, receipt as receiptCodec } from '../../src-core/app/index.ts';
import { encode, toBase64Url } from '../../src-core/codec/index.ts';
import type { Receipt } from '../../src-core/proto/index.ts';
import { CSV_HEADER, csvField, historyCsv, parseCsv } from './history-csv.ts';
import { type HistoryItem, NO_FILTER, choices, filterItems, formatTime, historyItem, showsThrough, throughText } from './history-model.ts';

const bob = new Uint8Array(32).fill(5);
const stranger = new Uint8Array(32).fill(6);
const report: NodeReport = {
  localPublicKey: new Uint8Array(32).fill(1), relays: [], indexServers: [], connectedIndexServer: undefined,
  friends: [{ publicKey: bob, name: 'Bob, "the builder"', relays: [], enabled: true, online: true, channel: { kind: 'consistent' }, currencies: [] }],
  openInvoices: [], openPayments: [],
};
const receipt: Receipt = {
  responseHash: new Uint8Array(32).fill(1), invoiceId: new Uint8Array(32).fill(2), currency: 'FST', srcPlainLock: new Uint8Array(32).fill(3),
  destPlainLock: new Uint8Array(32).fill(4), isComplete: true, destPayment: 60n, totalDestPayment: 60n, signature: new Uint8Array(64).fill(7),
};

function row(r: Partial<HistoryEntry>): HistoryEntry {
  return { id: 'x', kind: 'payment', time: 1_700_000_000_000, currency: 'FST', amount: 0n, counterpart: undefined, state: 'open', data: new Uint8Array(0), via: [], ...r };
}

const rows = [
  row({ id: 'payment:aa', kind: 'payment', amount: -60n, counterpart: toBase64Url(bob), state: 'success', data: encode(receiptCodec, receipt), via: [{ friend: toBase64Url(bob), amount: 60n }] }),
  row({
    id: 'invoice:bb', kind: 'invoice', amount: 340282366920938463463374607431768211455n, state: 'collected', time: 1_700_000_001_000,
    via: [{ friend: toBase64Url(bob), amount: 340282366920938463463374607431768211000n }, { friend: toBase64Url(stranger), amount: 455n }],
  }),
  row({ id: 'payment:cc', kind: 'payment', amount: -5n, counterpart: toBase64Url(stranger), state: 'canceled', currency: 'USD' }),
  row({ id: 'received:dd', kind: 'received', amount: 7n, state: 'collected' }),
];
const feeRows = [
  row({ id: 'fee:01', kind: 'fee-paid', amount: -2n, counterpart: toBase64Url(bob), state: 'paid' }),
  row({ id: 'fee:02', kind: 'fee-earned', amount: 3n, counterpart: toBase64Url(stranger), state: 'earned' }),
];
const items = rows.map((r) => historyItem(r, report, new Map([['payment:aa', 3n]])));

describe('historyItem', () => {
  it('names friends, decodes a successful payment receipt and labels kinds and states', () => {
    expect(items[0]).toMatchObject({ kindLabel: 'Payment', counterpart: 'Bob, "the builder"', stateLabel: 'paid', fee: 3n, amount: -60n, receipt });
    expect(items[2]).toMatchObject({ counterpart: toBase64Url(stranger), stateLabel: 'cancelled', fee: undefined, receipt: undefined, settled: false });
    expect(items.map((i) => i.settled)).toEqual([true, true, false, true]);
    expect(items[1]?.receipt).toBeUndefined();
  });

  it('labels fees paid and earned as settled rows', () => {
    expect(feeRows.map((r) => historyItem(r, report)).map((i) => [i.kindLabel, i.stateLabel, i.settled, i.counterpart])).toEqual([
      ['Fee paid', 'paid', true, 'Bob, "the builder"'],
      ['Fee earned', 'earned', true, toBase64Url(stranger)],
    ]);
  });

  it('names the friends a payment went through, and says so only when it tells something', () => {
    expect(items[1]?.through.map((t) => t.name)).toEqual(['Bob, "the builder"', toBase64Url(stranger)]);
    expect(showsThrough(items[1] as HistoryItem)).toBe(true);
    expect(throughText(items[1] as HistoryItem)).toBe(`Bob, "the builder" 340,282,366,920,938,463,463,374,607,431,768,211,000, ${toBase64Url(stranger)} 455`);
    expect(showsThrough(items[0] as HistoryItem)).toBe(false); // straight to Bob, through Bob
    expect(showsThrough(items[3] as HistoryItem)).toBe(false); // not recorded
    const routed = historyItem(row({ kind: 'payment', counterpart: toBase64Url(stranger), via: [{ friend: toBase64Url(bob), amount: 5n }] }), report);
    expect([showsThrough(routed), throughText(routed)]).toEqual([true, 'Bob, "the builder"']);
    expect(filterItems(items, { ...NO_FILTER, text: 'builder collected' }).map((i) => i.id)).toEqual(['invoice:bb']);
  });

  it('ignores data that is not a receipt', () => {
    expect(historyItem(row({ kind: 'payment', state: 'success', data: Uint8Array.of(1, 2, 3) }), report).receipt).toBeUndefined();
  });
});

describe('filterItems', () => {
  it('filters by kind, state and currency', () => {
    expect(filterItems(items, { ...NO_FILTER, kind: 'payment' }).map((i) => i.id)).toEqual(['payment:aa', 'payment:cc']);
    expect(filterItems(items, { ...NO_FILTER, state: 'collected' }).map((i) => i.id)).toEqual(['invoice:bb', 'received:dd']);
    expect(filterItems(items, { ...NO_FILTER, currency: 'USD' }).map((i) => i.id)).toEqual(['payment:cc']);
    expect(filterItems(items, NO_FILTER)).toHaveLength(4);
  });

  it('searches every word in names, amounts, states and ids', () => {
    expect(filterItems(items, { ...NO_FILTER, text: 'bob PAID' }).map((i) => i.id)).toEqual(['payment:aa']);
    expect(filterItems(items, { ...NO_FILTER, text: '-60' }).map((i) => i.id)).toEqual(['payment:aa']);
    expect(filterItems(items, { ...NO_FILTER, text: 'bob cancelled' })).toEqual([]);
  });

  it('lists the choices of a field', () => {
    expect(choices(items, 'kind')).toEqual(['invoice', 'payment', 'received']);
    expect(choices(items, 'currency')).toEqual(['FST', 'USD']);
  });
});

describe('historyCsv', () => {
  it('quotes fields as RFC 4180 asks and keeps amounts exact', () => {
    const csv = historyCsv(items);
    expect(csv.endsWith('\r\n')).toBe(true);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    expect(lines[1]).toBe(`${formatTime(1_700_000_000_000)},payment,success,FST,-60,3,"Bob, ""the builder""",${toBase64Url(bob)},payment:aa,"Bob, ""the builder""=60"`);
    expect(lines[2]).toContain(',340282366920938463463374607431768211455,,');
    expect(parseCsv(csv)).toEqual([
      [...CSV_HEADER],
      [formatTime(1_700_000_000_000), 'payment', 'success', 'FST', '-60', '3', 'Bob, "the builder"', toBase64Url(bob), 'payment:aa', 'Bob, "the builder"=60'],
      [formatTime(1_700_000_001_000), 'invoice', 'collected', 'FST', '340282366920938463463374607431768211455', '', '', '', 'invoice:bb',
        `Bob, "the builder"=340282366920938463463374607431768211000; ${toBase64Url(stranger)}=455`],
      [formatTime(1_700_000_000_000), 'payment', 'canceled', 'USD', '-5', '', toBase64Url(stranger), toBase64Url(stranger), 'payment:cc', ''],
      [formatTime(1_700_000_000_000), 'received', 'collected', 'FST', '7', '', '', '', 'received:dd', ''],
    ]);
  });

  it('quotes line breaks and defuses spreadsheet formulas in names', () => {
    expect(csvField('a\r\nb')).toBe('"a\r\nb"');
    const evil = historyItem(row({ id: 'i', counterpart: toBase64Url(bob) }), { ...report, friends: [{ ...report.friends[0]!, name: '=HYPERLINK("x")' }] });
    expect(parseCsv(historyCsv([evil]))[1]?.[6]).toBe(`'=HYPERLINK("x")`);
  });

  it('writes only the header for no rows', () => {
    expect(historyCsv([])).toBe(`${CSV_HEADER.join(',')}\r\n`);
  });
});
