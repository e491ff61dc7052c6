/** Shape checks on app requests, so a malformed one (wrong key length, non-bigint amount, huge
 *  name) is refused with a code instead of reaching the state and failing later in the store's
 *  encoder. The app protocol's decoder normally guarantees these; the funder does not rely on it. */
import { MAX_ACTIVE_CURRENCIES, MAX_NET_ADDRESS_LEN, MAX_NODE_RELAYS, MAX_ROUTE_LEN, isValidCurrency } from '../proto/index.ts';
import { inU128 } from './amounts.ts';
import type { AppRequest } from './events.ts';
import { toHex } from './hex.ts';

const MAX_NAME_BYTES = 1024;
const enc = new TextEncoder();

const isBytes = (v: unknown, n: number): boolean => v instanceof Uint8Array && v.length === n;
const isText = (v: unknown, max: number): boolean => typeof v === 'string' && enc.encode(v).length <= max;
const isAmount = (v: unknown): boolean => typeof v === 'bigint' && inU128(v);

function relaysOk(relays: unknown): boolean {
  return Array.isArray(relays) && relays.length <= MAX_NODE_RELAYS
    && relays.every((r: { publicKey?: unknown; address?: unknown }) => isBytes(r?.publicKey, 32) && isText(r?.address, MAX_NET_ADDRESS_LEN))
    && new Set(relays.map((r: { publicKey: Uint8Array }) => toHex(r.publicKey))).size === relays.length;
}

/** True when every field has the type, length and range the state can hold. */
export function isWellFormedRequest(r: AppRequest): boolean {
  const pk = (r as { friendPublicKey?: unknown }).friendPublicKey;
  if ('friendPublicKey' in r && !isBytes(pk, 32)) return false;
  if ('currency' in r && !isValidCurrency(r.currency)) return false;
  switch (r.kind) {
    case 'add-relay':
      return isBytes(r.relay?.publicKey, 32) && isText(r.relay?.address, MAX_NET_ADDRESS_LEN) && isText(r.relay?.name, MAX_NAME_BYTES);
    case 'remove-relay': return isBytes(r.publicKey, 32);
    case 'add-friend':
      return relaysOk(r.relays) && isText(r.name, MAX_NAME_BYTES) && (r.initialBalances === undefined
        || (Array.isArray(r.initialBalances) && r.initialBalances.length <= MAX_ACTIVE_CURRENCIES
          && r.initialBalances.every((b) => isValidCurrency(b?.currency) && typeof b.balance === 'bigint')));
    case 'set-friend-relays': return relaysOk(r.relays);
    case 'set-friend-name': return isText(r.name, MAX_NAME_BYTES);
    case 'set-friend-currency-rate':
      return Number.isInteger(r.rate?.mul) && Number.isInteger(r.rate?.add) && r.rate.mul >= 0 && r.rate.add >= 0
        && r.rate.mul <= 0xffffffff && r.rate.add <= 0xffffffff;
    case 'set-friend-currency-max-debt': return isAmount(r.remoteMaxDebt);
    case 'reset-friend-channel': return isBytes(r.resetToken, 64);
    case 'set-accept-auto-collect': return typeof r.accept === 'boolean';
    case 'create-payment':
      return isBytes(r.paymentId, 16) && isBytes(r.invoiceId, 32) && isBytes(r.destPublicKey, 32) && isAmount(r.totalDestPayment)
        && (r.deadline === undefined || (Number.isSafeInteger(r.deadline) && r.deadline >= 0));
    case 'create-transaction':
      return isBytes(r.paymentId, 16) && isBytes(r.requestId, 16) && isAmount(r.destPayment) && isAmount(r.fees)
        && Array.isArray(r.route) && r.route.length <= MAX_ROUTE_LEN && r.route.every((k) => isBytes(k, 32));
    case 'request-close-payment': return isBytes(r.paymentId, 16);
    case 'ack-close-payment': return isBytes(r.paymentId, 16) && isBytes(r.ackUid, 16);
    case 'add-invoice': return isBytes(r.invoiceId, 32) && isAmount(r.totalDestPayment);
    case 'cancel-invoice': return isBytes(r.invoiceId, 32);
    case 'commit-invoice': {
      const c = r.commit;
      return isBytes(c?.responseHash, 32) && isBytes(c.srcPlainLock, 32) && isBytes(c.destHashedLock, 32) && isBytes(c.invoiceId, 32)
        && isBytes(c.signature, 64) && isAmount(c.destPayment) && isAmount(c.totalDestPayment) && isValidCurrency(c.currency);
    }
    default:
      return true;
  }
}
