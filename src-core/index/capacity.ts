/** What a node reports about one friend in one currency (reference/funder.md §3.1, §3.6), from its own
 *  mutual-credit numbers. `balance > 0` means the friend owes us; `remotePendingDebt` is frozen by
 *  requests the friend sent us, `localPendingDebt` by requests we sent the friend. Results saturate to
 *  [0, 2^128 − 1]. The node only reports enabled, online, consistent friends. */
import { U128_MAX } from '../codec/index.ts';
import { type Rate } from './rate.ts';

const clamp = (x: bigint): bigint => (x < 0n ? 0n : x > U128_MAX ? U128_MAX : x);

/** How much more the friend can push to us: 0 unless we opened the currency, else
 *  remote_max_debt − (balance + remote_pending_debt). */
export function recvCapacity(c: { readonly isOpen: boolean; readonly remoteMaxDebt: bigint; readonly balance: bigint; readonly remotePendingDebt: bigint }): bigint {
  if (!c.isOpen) return 0n;
  return clamp(c.remoteMaxDebt - (c.balance + c.remotePendingDebt));
}

/** How much more we can push to the friend by our own view: what the friend said it lets us owe
 *  (its max debt for us) + balance − local_pending_debt; 0 if the friend said its requests are closed;
 *  unbounded (2^128 − 1) when the friend has not told us, leaving the bound to its own report. */
export function sendCapacity(c: { readonly localMaxDebt?: bigint | undefined; readonly remoteOpen?: boolean | undefined; readonly balance: bigint; readonly localPendingDebt: bigint }): bigint {
  if (c.remoteOpen === false) return 0n;
  if (c.localMaxDebt === undefined) return U128_MAX;
  return clamp(c.localMaxDebt + c.balance - c.localPendingDebt);
}

export interface FriendCurrencyNumbers {
  readonly isOpen: boolean;
  readonly rate: Rate;
  readonly remoteMaxDebt: bigint;
  readonly balance: bigint;
  readonly localPendingDebt: bigint;
  readonly remotePendingDebt: bigint;
  readonly localMaxDebt?: bigint | undefined;
  readonly remoteOpen?: boolean | undefined;
}

/** The entry IndexClient.setCapacity takes, or undefined when the currency is not open (not reported). */
export function capacityEntry(c: FriendCurrencyNumbers): { sendCapacity: bigint; recvCapacity: bigint; rate: Rate } | undefined {
  if (!c.isOpen) return undefined;
  return { sendCapacity: sendCapacity(c), recvCapacity: recvCapacity(c), rate: c.rate };
}
