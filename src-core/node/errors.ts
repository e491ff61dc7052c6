/** One sentence per refusal code, for the Ack's message (stctrl prints it). */
import type { AppErrorCode } from '../app/index.ts';

const TEXT: Partial<Record<AppErrorCode, string>> = {
  'friend-does-not-exist': 'no friend has this public key',
  'friend-is-self': 'a node cannot be its own friend',
  'friend-offline': 'the friend is offline',
  'max-node-relays-reached': 'too many relays configured',
  'invalid-currency': 'invalid currency name',
  'too-many-currencies': 'too many currencies for this friend',
  'currency-not-configured': 'this currency is not configured for the friend',
  'can-not-remove-active-currency': 'the currency is in use with the friend (its balance or pending payments)',
  'not-invited-to-reset': 'the friend has not proposed a reset',
  'reset-token-mismatch': 'the reset token does not match the friend\'s proposal',
  'invalid-reset-terms': 'the friend\'s reset terms cannot be accepted',
  'payment-already-open': 'a payment with this id is open',
  'payment-does-not-exist': 'no payment has this id',
  'new-transactions-not-allowed': 'the payment takes no new parts (closed or past its deadline)',
  'not-first-in-route': 'the route does not start at this node',
  'dest-not-last-in-route': 'the route does not end at the destination',
  'invalid-route': 'the route is invalid (repeated nodes or too long)',
  'friend-not-ready': 'the next node on the route is not ready (disabled, offline, or the currency is not active)',
  'request-already-in-progress': 'a part with this id is in progress',
  'pending-user-requests-full': 'too many payment parts wait for this friend',
  'dest-payment-exceeds-total': 'the part pays more than the total',
  'credits-calc-overflow': 'the amount is out of range for this friend',
  'ack-state-invalid': 'the payment is not finished',
  'ack-mismatch': 'the acknowledgement does not match the payment',
  'invoice-already-exists': 'an invoice with this id is open',
  'invoice-does-not-exist': 'no open invoice has this id',
  'invalid-commit': 'the commit does not match an open invoice',
  'invalid-amount': 'the amount is out of range',
};

export function describeAppError(code: AppErrorCode): string {
  return TEXT[code] ?? code;
}
