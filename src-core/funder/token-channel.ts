/** Token channel: the turn-taking move-token protocol between two friends (reference/funder.md §4).
 *  Genesis from hash-ordered keys (§4.3), signing and chaining (§4.4), sending (§4.5) and
 *  receiving (§4.6): duplicate, retransmit, chain mismatch, and full checks of a matching token.
 *  Pure: every function returns a new channel or an error code. */
import type { CryptoBackend, Signer } from '../crypto/index.ts';
import { bytesEqual, comparePublicKeys } from '../crypto/index.ts';
import {
  type CurrencyOperations, type MoveToken, type RelayAddress, type TokenInfo, flipTokenInfo,
  moveTokenPrefixHash, moveTokenSignatureBuffer, tokenInfoHash,
} from '../proto/index.ts';
import { U128_MAX } from './amounts.ts';
import { compareCurrencies } from './hex.ts';
import {
  type Incoming, type IncomingMessage, type McContext, type McError, type McResult, type MutualCredit, emptyMutualCredit, receiveCancel,
  receiveCollect, receiveRequest, receiveResponse,
} from './mutual-credit.ts';

/** What we keep of the last token received: enough to recognise a duplicate and to export it. */
export interface MoveTokenHashed {
  readonly prefixHash: Uint8Array;
  /** The sender's view (§4.4). */
  readonly tokenInfo: TokenInfo;
  readonly randNonce: Uint8Array;
  readonly newToken: Uint8Array;
}

export type TcDirection =
  /** We hold the token. */
  | { readonly kind: 'incoming'; readonly moveTokenIn: MoveTokenHashed }
  /** The friend holds it; we keep what we sent, to retransmit. */
  | {
    readonly kind: 'outgoing'; readonly moveTokenOut: MoveToken; readonly tokenInfo: TokenInfo;
    readonly prevMoveTokenIn: MoveTokenHashed | undefined;
  };

export interface TokenChannel {
  readonly direction: TcDirection;
  readonly mutualCredits: ReadonlyMap<string, MutualCredit>;
  /** Currencies we announced / the friend announced (§4.7). */
  readonly activeLocal: readonly string[];
  readonly activeRemote: readonly string[];
  /** Agreed starting balances of a new friend (the tutorial's `add-friend --balance`): a currency's
   *  mutual credit starts at this balance when both sides first activate it, and the entry is then
   *  dropped. Both sides must agree (ours = −theirs), else the first token's info hash differs and
   *  the channel becomes inconsistent, to be settled by a reset. Absent: every currency starts at 0. */
  readonly initialBalances?: ReadonlyMap<string, bigint>;
}

export function hashMoveToken(crypto: CryptoBackend, t: MoveToken, info: TokenInfo): MoveTokenHashed {
  return { prefixHash: moveTokenPrefixHash(crypto, t), tokenInfo: info, randNonce: t.randNonce, newToken: t.newToken };
}

const zeros32 = new Uint8Array(32);
const cat = (a: Uint8Array, b: Uint8Array): Uint8Array => { const o = new Uint8Array(a.length + b.length); o.set(a); o.set(b, a.length); return o; };

/** Both sides build the same virtual genesis, "sent" by the lower-hash key (§4.3). */
export function genesisTokenChannel(crypto: CryptoBackend, localPublicKey: Uint8Array, remotePublicKey: Uint8Array): TokenChannel {
  const localIsLow = comparePublicKeys(crypto, localPublicKey, remotePublicKey) < 0;
  const low = localIsLow ? localPublicKey : remotePublicKey;
  const high = localIsLow ? remotePublicKey : localPublicKey;
  const info: TokenInfo = { localPublicKey: low, remotePublicKey: high, balances: [], inconsistencyCounter: 0n, moveTokenCounter: 0n };
  const genesis: MoveToken = {
    oldToken: cat(low, zeros32), currenciesOperations: [], optLocalRelays: undefined, optActiveCurrencies: undefined,
    infoHash: tokenInfoHash(crypto, info), randNonce: crypto.sha512_256(high).slice(0, 16), newToken: cat(high, zeros32),
  };
  const direction: TcDirection = localIsLow
    ? { kind: 'outgoing', moveTokenOut: genesis, tokenInfo: info, prevMoveTokenIn: undefined }
    : { kind: 'incoming', moveTokenIn: hashMoveToken(crypto, genesis, info) };
  return { direction, mutualCredits: new Map(), activeLocal: [], activeRemote: [] };
}

/** The counters of the last token in the chain, whichever side sent it. */
export function channelCounters(tc: TokenChannel): { inconsistencyCounter: bigint; moveTokenCounter: bigint } {
  const info = tc.direction.kind === 'incoming' ? tc.direction.moveTokenIn.tokenInfo : tc.direction.tokenInfo;
  return { inconsistencyCounter: info.inconsistencyCounter, moveTokenCounter: info.moveTokenCounter };
}

export function lastIncoming(tc: TokenChannel): MoveTokenHashed | undefined {
  return tc.direction.kind === 'incoming' ? tc.direction.moveTokenIn : tc.direction.prevMoveTokenIn;
}

/** Our view of all balances, sorted by currency (UTF-8 byte order). */
export function localTokenInfo(
  tc: Pick<TokenChannel, 'mutualCredits'>, localPublicKey: Uint8Array, remotePublicKey: Uint8Array,
  inconsistencyCounter: bigint, moveTokenCounter: bigint,
): TokenInfo {
  const balances = [...tc.mutualCredits.entries()]
    .sort(([a], [b]) => compareCurrencies(a, b))
    .map(([currency, mc]) => ({ currency, balance: mc.balance, localPendingDebt: mc.localPendingDebt, remotePendingDebt: mc.remotePendingDebt }));
  return { localPublicKey, remotePublicKey, balances, inconsistencyCounter, moveTokenCounter };
}

type Credits = Pick<TokenChannel, 'mutualCredits' | 'initialBalances'>;

function withNewCurrencies(tc: Credits, local: readonly string[], remote: readonly string[]): Credits {
  const remoteSet = new Set(remote);
  let out: Map<string, MutualCredit> | undefined;
  let initial: Map<string, bigint> | undefined;
  for (const c of local) {
    if (remoteSet.has(c) && !tc.mutualCredits.has(c)) {
      out ??= new Map(tc.mutualCredits);
      out.set(c, emptyMutualCredit(tc.initialBalances?.get(c) ?? 0n));
      if (tc.initialBalances?.has(c) === true) {
        initial ??= new Map(tc.initialBalances);
        initial.delete(c);
      }
    }
  }
  if (out === undefined) return tc;
  const rest = initial ?? tc.initialBalances;
  return { mutualCredits: out, ...(rest !== undefined && rest.size > 0 ? { initialBalances: rest } : {}) };
}

/** `tc` with new credits; `initialBalances` is omitted, never empty, so snapshots stay canonical. */
function withCredits<T extends TokenChannel>(tc: T, credits: Credits): T {
  const { initialBalances: _dropped, ...rest } = tc;
  void _dropped;
  return { ...rest, mutualCredits: credits.mutualCredits, ...(credits.initialBalances !== undefined ? { initialBalances: credits.initialBalances } : {}) } as T;
}

/** Every currency that has a mutual credit must stay in an announced list (§4.7). */
export function canAnnounce(tc: TokenChannel, list: readonly string[]): boolean {
  const s = new Set(list);
  return [...tc.mutualCredits.keys()].every((c) => s.has(c));
}

export interface SendParams {
  /** Already applied to the mutual credits by the caller (the sender validates op by op). */
  readonly mutualCredits: ReadonlyMap<string, MutualCredit>;
  readonly currenciesOperations: readonly CurrencyOperations[];
  readonly optLocalRelays: readonly RelayAddress[] | undefined;
  readonly optActiveCurrencies: readonly string[] | undefined;
}

/** Opens the turn: applies a new active-currency list, creating zero mutual credits for
 *  currencies both sides now want (§4.5 step 1). The caller then applies its ops to the result. */
export function prepareSend(tc: TokenChannel, optActiveCurrencies: readonly string[] | undefined): TokenChannel {
  if (optActiveCurrencies === undefined) return tc;
  return withCredits({ ...tc, activeLocal: optActiveCurrencies }, withNewCurrencies(tc, optActiveCurrencies, tc.activeRemote));
}

/** Signs and sends the token (§4.5 step 3). Precondition: we hold the token (incoming). */
export function sendMoveToken(
  crypto: CryptoBackend, signer: Signer, tc: TokenChannel, remotePublicKey: Uint8Array, p: SendParams, randNonce: Uint8Array,
): { tc: TokenChannel; moveToken: MoveToken } | undefined {
  if (tc.direction.kind !== 'incoming') return undefined;
  const last = tc.direction.moveTokenIn;
  const mtc = last.tokenInfo.moveTokenCounter + 1n;
  const info = localTokenInfo({ mutualCredits: p.mutualCredits }, signer.publicKey, remotePublicKey,
    last.tokenInfo.inconsistencyCounter, mtc > U128_MAX ? 0n : mtc);
  const unsigned = {
    oldToken: last.newToken, currenciesOperations: p.currenciesOperations,
    optLocalRelays: p.optLocalRelays, optActiveCurrencies: p.optActiveCurrencies,
  };
  const prefixHash = moveTokenPrefixHash(crypto, unsigned);
  const infoHash = tokenInfoHash(crypto, info);
  const newToken = signer.sign(moveTokenSignatureBuffer(crypto, prefixHash, infoHash, randNonce));
  const moveToken: MoveToken = { ...unsigned, infoHash, randNonce, newToken };
  return {
    moveToken,
    tc: { ...tc, mutualCredits: p.mutualCredits, direction: { kind: 'outgoing', moveTokenOut: moveToken, tokenInfo: info, prevMoveTokenIn: last } },
  };
}

export type ReceiveError =
  | 'chain-inconsistency' | 'invalid-signature' | 'can-not-remove-currency-in-use' | 'invalid-currency'
  | 'invalid-token-info' | 'move-token-counter-overflow' | McError;

export interface IncomingCurrencyMessage {
  readonly currency: string;
  readonly message: IncomingMessage;
}

export type ReceiveOutcome =
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'retransmit-outgoing' }
  | { readonly kind: 'received'; readonly tc: TokenChannel; readonly messages: readonly IncomingCurrencyMessage[] }
  | { readonly kind: 'error'; readonly error: ReceiveError };

export interface ReceiveContext {
  readonly crypto: CryptoBackend;
  readonly localPublicKey: Uint8Array;
  readonly remotePublicKey: Uint8Array;
  readonly remoteMaxDebt: (currency: string) => bigint;
}

const same = bytesEqual;

export function verifyMoveToken(crypto: CryptoBackend, t: MoveToken, senderPublicKey: Uint8Array): boolean {
  const buf = moveTokenSignatureBuffer(crypto, moveTokenPrefixHash(crypto, t), t.infoHash, t.randNonce);
  return crypto.ed25519Verify(senderPublicKey, buf, t.newToken);
}

export function receiveMoveToken(tc: TokenChannel, t: MoveToken, ctx: ReceiveContext): ReceiveOutcome {
  const dir = tc.direction;
  if (dir.kind === 'incoming') {
    const stored = dir.moveTokenIn;
    const dup = same(stored.newToken, t.newToken) && same(stored.randNonce, t.randNonce)
      && same(stored.prefixHash, moveTokenPrefixHash(ctx.crypto, t));
    return dup ? { kind: 'duplicate' } : { kind: 'error', error: 'chain-inconsistency' };
  }
  if (same(t.oldToken, dir.moveTokenOut.newToken)) return receiveMatching(tc, dir, t, ctx);
  if (same(dir.moveTokenOut.oldToken, t.newToken)) return { kind: 'retransmit-outgoing' };
  return { kind: 'error', error: 'chain-inconsistency' };
}

function receiveMatching(
  tc: TokenChannel, dir: Extract<TcDirection, { kind: 'outgoing' }>, t: MoveToken, ctx: ReceiveContext,
): ReceiveOutcome {
  const error = (e: ReceiveError): ReceiveOutcome => ({ kind: 'error', error: e });
  if (!verifyMoveToken(ctx.crypto, t, ctx.remotePublicKey)) return error('invalid-signature');
  let activeRemote = tc.activeRemote;
  let credits: Credits = tc;
  if (t.optActiveCurrencies !== undefined) {
    if (!canAnnounce(tc, t.optActiveCurrencies)) return error('can-not-remove-currency-in-use');
    activeRemote = t.optActiveCurrencies;
    credits = withNewCurrencies(tc, tc.activeLocal, activeRemote);
  }
  const mutable = new Map(credits.mutualCredits);
  const messages: IncomingCurrencyMessage[] = [];
  for (const { currency, operations } of t.currenciesOperations) {
    const found = mutable.get(currency);
    if (found === undefined) return error('invalid-currency');
    let mc: MutualCredit = found;
    const mcCtx: McContext = { crypto: ctx.crypto, currency, localPublicKey: ctx.localPublicKey, remotePublicKey: ctx.remotePublicKey };
    for (const op of operations) {
      const r: McResult<Incoming> = op.kind === 'request' ? receiveRequest(mc, op, ctx.remoteMaxDebt(currency))
        : op.kind === 'response' ? receiveResponse(mc, op, mcCtx)
          : op.kind === 'cancel' ? receiveCancel(mc, op)
            : receiveCollect(mc, op, mcCtx);
      if (!r.ok) return error(r.error);
      mc = r.value.mc;
      messages.push({ currency, message: r.value.message });
    }
    mutable.set(currency, mc);
  }
  const mtc = dir.tokenInfo.moveTokenCounter + 1n;
  if (mtc > U128_MAX) return error('move-token-counter-overflow');
  const ours = localTokenInfo({ mutualCredits: mutable }, ctx.localPublicKey, ctx.remotePublicKey, dir.tokenInfo.inconsistencyCounter, mtc);
  const expected = flipTokenInfo(ours);
  if (expected === undefined || !same(tokenInfoHash(ctx.crypto, expected), t.infoHash)) return error('invalid-token-info');
  return {
    kind: 'received',
    messages,
    tc: {
      mutualCredits: mutable, activeLocal: tc.activeLocal, activeRemote, direction: { kind: 'incoming', moveTokenIn: hashMoveToken(ctx.crypto, t, expected) },
      ...(credits.initialBalances !== undefined ? { initialBalances: credits.initialBalances } : {}),
    },
  };
}
