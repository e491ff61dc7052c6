/** Inconsistency and reset (reference/funder.md §4.9). Each side proposes reset terms; one side
 *  accepts the other's by sending a reset move token chained on the friend's random reset token.
 *
 *  Our terms count only settled balances: every pending transaction of the broken channel is
 *  treated as cancelled on both sides (the original counts the friend's in-flight requests as paid,
 *  §7.5 #4). Both sides compute their terms the same way, so they mirror each other whenever their
 *  balances do, and the funder cancels every request it forwarded over the broken channel. */
import { type CryptoBackend, type Signer, bytesEqual } from '../crypto/index.ts';
import {
  type MoveToken, type RelayAddress, type ResetTerms, type TokenInfo, moveTokenPrefixHash, moveTokenSignatureBuffer,
  tokenInfoHash,
} from '../proto/index.ts';
import { I128_MAX, U64_MAX } from './amounts.ts';
import { compareCurrencies } from './hex.ts';
import { emptyMutualCredit, type MutualCredit } from './mutual-credit.ts';
import { type TokenChannel, channelCounters, hashMoveToken, verifyMoveToken } from './token-channel.ts';

/** Our terms: every mutual credit's balance and, for a currency not active yet, the starting
 *  balance agreed at add-friend (our view). Those are part of the terms so the reset settles
 *  them too: carried past it one-sidedly, two views that disagree (the usual cause of the
 *  inconsistency) would break the new channel again as soon as the currency activates. The
 *  signed layout is the original's (a list of currency balances); the channel built from terms
 *  activates every currency listed, as for mutual credits. */
export function generateResetTerms(tc: TokenChannel | undefined, inconsistencyCounter: bigint, resetToken: Uint8Array): ResetTerms {
  const settled = tc === undefined ? [] : [...tc.mutualCredits.entries()].map(([currency, mc]) => ({ currency, balance: mc.balance }));
  const agreed = [...(tc?.initialBalances ?? [])]
    .filter(([currency]) => !tc?.mutualCredits.has(currency))
    .map(([currency, balance]) => ({ currency, balance }));
  const balances = [...settled, ...agreed].sort((a, b) => compareCurrencies(a.currency, b.currency));
  const counter = tc === undefined ? inconsistencyCounter : channelCounters(tc).inconsistencyCounter;
  return { resetToken, inconsistencyCounter: counter >= U64_MAX ? 0n : counter + 1n, balanceForReset: balances };
}

function resetTokenInfo(sender: Uint8Array, receiver: Uint8Array, receiverTerms: ResetTerms): TokenInfo | undefined {
  const balances = [];
  for (const { currency, balance } of receiverTerms.balanceForReset) {
    if (balance < -I128_MAX || balance > I128_MAX) return undefined; // i128::MIN cannot be negated (§7.2 #5)
    balances.push({ currency, balance: -balance, localPendingDebt: 0n, remotePendingDebt: 0n });
  }
  return {
    localPublicKey: sender, remotePublicKey: receiver, balances,
    inconsistencyCounter: receiverTerms.inconsistencyCounter, moveTokenCounter: 0n,
  };
}

function channelFromTerms(
  balances: readonly { currency: string; balance: bigint }[], direction: TokenChannel['direction'],
): TokenChannel {
  const mcs = new Map<string, MutualCredit>();
  for (const { currency, balance } of balances) mcs.set(currency, emptyMutualCredit(balance));
  const currencies = balances.map((b) => b.currency);
  return { direction, mutualCredits: mcs, activeLocal: currencies, activeRemote: currencies };
}

/** We accept the friend's terms: adopt its view and send the reset token (§4.9 apply_local_reset).
 *  undefined when the terms cannot be adopted (a balance of i128::MIN). */
export function applyLocalReset(
  crypto: CryptoBackend, signer: Signer, remotePublicKey: Uint8Array, remoteTerms: ResetTerms,
  relays: readonly RelayAddress[], randNonce: Uint8Array,
): { tc: TokenChannel; moveToken: MoveToken } | undefined {
  const info = resetTokenInfo(signer.publicKey, remotePublicKey, remoteTerms);
  if (info === undefined) return undefined;
  const unsigned = { oldToken: remoteTerms.resetToken, currenciesOperations: [], optLocalRelays: relays, optActiveCurrencies: undefined };
  const prefixHash = moveTokenPrefixHash(crypto, unsigned);
  const infoHash = tokenInfoHash(crypto, info);
  const newToken = signer.sign(moveTokenSignatureBuffer(crypto, prefixHash, infoHash, randNonce));
  const moveToken: MoveToken = { ...unsigned, infoHash, randNonce, newToken };
  const ours = info.balances.map((b) => ({ currency: b.currency, balance: b.balance }));
  const tc = channelFromTerms(ours, { kind: 'outgoing', moveTokenOut: moveToken, tokenInfo: info, prevMoveTokenIn: undefined });
  return { tc, moveToken };
}

/** The friend accepted our terms: check its reset token and rebuild the channel (§4.9 try_reset_channel). */
export function acceptRemoteReset(
  crypto: CryptoBackend, localPublicKey: Uint8Array, remotePublicKey: Uint8Array, localTerms: ResetTerms, t: MoveToken,
): TokenChannel | undefined {
  if (!bytesEqual(t.oldToken, localTerms.resetToken)) return undefined;
  if (t.currenciesOperations.length > 0) return undefined;
  const info = resetTokenInfo(remotePublicKey, localPublicKey, localTerms);
  if (info === undefined) return undefined;
  if (!bytesEqual(tokenInfoHash(crypto, info), t.infoHash)) return undefined;
  if (!verifyMoveToken(crypto, t, remotePublicKey)) return undefined;
  return channelFromTerms(localTerms.balanceForReset, { kind: 'incoming', moveTokenIn: hashMoveToken(crypto, t, info) });
}
