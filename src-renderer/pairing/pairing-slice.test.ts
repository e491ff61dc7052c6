import { describe, expect, it } from 'vitest';
import { checkTicketName, permissionWords, ticketFileBase } from './pairing-slice.ts';

describe('app ticket words', () => {
  it('says what a ticket allows, or that it only reads', () => {
    expect(permissionWords({ routes: false, buyer: false, seller: false, config: false })).toBe('read only');
    expect(permissionWords({ routes: true, buyer: true, seller: false, config: false })).toBe('routes, pay');
    expect(permissionWords({ routes: true, buyer: true, seller: true, config: true })).toBe('routes, pay, invoices, configure');
  });

  it('takes a name of 1 to 32 characters', () => {
    expect(checkTicketName('  till ')).toEqual({ ok: true, value: 'till' });
    expect(checkTicketName('   ').ok).toBe(false);
    expect(checkTicketName('x'.repeat(33))).toEqual({ ok: false, error: 'A ticket name has at most 32 characters.' });
    expect(checkTicketName('é'.repeat(32)).ok).toBe(true);
  });

  it('names the files after the card and the ticket, safely', () => {
    expect(ticketFileBase('Shop', 'till/2')).toBe('Shop - till_2');
  });
});
