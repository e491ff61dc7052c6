/** The secure channel's handshake: mutual authentication by Ed25519 identities, X25519 key
 *  exchange, HKDF keys (reference/funder.md §0.1, docs/net.md), key confirmation. What follows
 *  the handshake (sealed frames, rekey, keepalive) is `channel-session.ts`. Runs over any
 *  FrameStream; the channel is one itself. */
import { decodeExact, encode } from '../codec/index.ts';
import { bytesEqual } from '../crypto/index.ts';
import { DEFAULTS, type SecureChannel, SecureChannelImpl, type SecureChannelOptions } from './channel-session.ts';
import { type CloseReason, ChannelClosedError, closeReason } from './close-reason.ts';
import { type FrameStream } from './frame-stream.ts';
import {
  DOMAIN_KEY, type Half, RAND_NONCE_LEN, SALT_LEN, concat, deriveKeys, dhSignedBuffer, exchangeDh,
  exchangeRandNonce, sessionHash,
} from './handshake.ts';

export type { SecureChannel, SecureChannelOptions };

class HandshakeFailure extends Error {
  constructor(readonly reason: CloseReason) { super(reason.detail); }
}

/** Runs the handshake over `stream`. Resolves with an open channel; rejects with
 *  ChannelClosedError (and closes `stream`) on any failure or timeout. */
export async function secureChannel(stream: FrameStream, opts: SecureChannelOptions): Promise<SecureChannel> {
  const { crypto, identity, clock } = opts;
  const handshakeTimeoutMs = opts.handshakeTimeoutMs ?? DEFAULTS.handshakeTimeoutMs;
  let timedOut = false;
  const timer = clock.after(handshakeTimeoutMs, () => {
    timedOut = true;
    stream.close(closeReason('timeout', 'handshake did not finish in time'));
  });
  const fail = (kind: CloseReason['kind'], detail: string): never => { throw new HandshakeFailure(closeReason(kind, detail)); };
  const next = async (what: string): Promise<Uint8Array> => {
    const f = await stream.receive();
    if (f === undefined) {
      const r = await stream.closed;
      throw new HandshakeFailure(timedOut ? r : closeReason(r.kind, `${r.detail || 'closed'} while waiting for ${what}`));
    }
    return f;
  };
  try {
    const ownNonce = crypto.randomBytes(RAND_NONCE_LEN);
    void stream.send(encode(exchangeRandNonce, { publicKey: identity.publicKey, randNonce: ownNonce })).catch(() => {});
    const hello = decodeExact(exchangeRandNonce, await next('ExchangeRandNonce'));
    if (!hello.ok) return fail('handshake-failed', `bad ExchangeRandNonce: ${hello.error.message}`);
    const peer = hello.value;
    if (opts.expectedRemote !== undefined && !bytesEqual(peer.publicKey, opts.expectedRemote)) {
      fail('wrong-identity', 'the peer is not the expected public key');
    }
    if (bytesEqual(peer.randNonce, ownNonce)) fail('handshake-failed', 'reflected nonce');

    const dhPrivate = crypto.randomBytes(32);
    const own: Half = {
      publicKey: identity.publicKey, randNonce: ownNonce,
      dhPublicKey: crypto.x25519PublicKey(dhPrivate), salt: crypto.randomBytes(SALT_LEN),
    };
    const signature = identity.sign(dhSignedBuffer(own, peer));
    void stream.send(encode(exchangeDh, {
      dhPublicKey: own.dhPublicKey, peerRandNonce: peer.randNonce, salt: own.salt, signature,
    })).catch(() => {});
    const dhMsg = decodeExact(exchangeDh, await next('ExchangeDh'));
    if (!dhMsg.ok) return fail('handshake-failed', `bad ExchangeDh: ${dhMsg.error.message}`);
    const dh = dhMsg.value;
    if (!bytesEqual(dh.peerRandNonce, ownNonce)) fail('handshake-failed', 'ExchangeDh answers another nonce (replay)');
    const peerHalf: Half = { publicKey: peer.publicKey, randNonce: peer.randNonce, dhPublicKey: dh.dhPublicKey, salt: dh.salt };
    if (bytesEqual(peerHalf.salt, own.salt) || bytesEqual(peerHalf.dhPublicKey, own.dhPublicKey)) {
      fail('handshake-failed', 'reflected key material');
    }
    if (!crypto.ed25519Verify(peer.publicKey, dhSignedBuffer(peerHalf, own), dh.signature)) {
      fail('bad-signature', 'ExchangeDh signature does not verify');
    }
    let shared: Uint8Array;
    try {
      shared = crypto.x25519(dhPrivate, peerHalf.dhPublicKey);
    } catch {
      return fail('handshake-failed', 'low-order DH public key');
    }
    const session = sessionHash(crypto, own, peerHalf);
    const keys = deriveKeys(crypto, shared, own.salt, peerHalf.salt, concat(DOMAIN_KEY, session));
    const ch = new SecureChannelImpl(stream, opts, peer.publicKey, session, keys.sendKey, keys.recvKey);
    ch.sendControl({ kind: 'keepalive' });
    // key confirmation: the peer's first encrypted frame must open under the derived key
    const first = await next('the first encrypted frame');
    const r = ch.handleFrame(first);
    if (r !== undefined) throw new HandshakeFailure(r);
    timer.cancel();
    ch.start();
    return ch;
  } catch (e) {
    timer.cancel();
    if (e instanceof HandshakeFailure) {
      stream.close(e.reason);
      throw new ChannelClosedError(stream.closeReason ?? e.reason);
    }
    stream.close(closeReason('handshake-failed', (e as Error).message));
    throw e;
  }
}

