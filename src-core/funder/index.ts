/** The funder: token channels, mutual credit and payments as a pure state machine
 *  (ARCHITECTURE §4, reference/funder.md). Browser-safe. See docs/funder.md. */
export { step, stepAndApply } from './step.ts';
export { applyMutation, mutationsBetween, type FunderMutation } from './mutations.ts';
export { PatchMismatch, type FriendPatch } from './friend-patch.ts';
export { withVerifyMemo } from './verify-memo.ts';
export type {
  AppErrorCode, AppRequest, AppResult, Env, FunderEvent, InvoiceEvent, Outgoing, PaymentStatus, StepOutput, TransactionResult,
} from './events.ts';
export {
  IMPLICIT_INVOICE_TTL_MS, afterRestart, defaultCurrencyConfig, defaultSettings, initialFunderState, localRelaysFor,
  type ChannelStatus, type CurrencyConfig, type FriendState, type FunderSettings, type FunderState, type NamedRelayAddress,
  type OpenInvoice, type OpenTransaction, type Payment, type PaymentStage,
} from './state.ts';
export { sealLock, sealedLockOpener } from './auto-collect.ts';
export { calcFee, maxPayable } from './rate.ts';
export { isRoutePartValid, isRouteValid } from './route.ts';
export { receiveCapacity, type MutualCredit, type PendingTransaction } from './mutual-credit.ts';
export type { TokenChannel, MoveTokenHashed } from './token-channel.ts';
export { toHex, fromHex, type Hex } from './hex.ts';
export { funderMutationCodec, funderStateCodec } from './state-codec.ts';
export { friendCapacities, type FriendCapacity } from './capacity.ts';
export { funderEnv, funderIdentity, type FunderIdentity } from './env.ts';
