/** Why a frame stream or secure channel closed. `kind` is for programs, `detail` for people. */

export type CloseKind =
  | 'local'             // closed by our own code
  | 'eof'               // the peer ended the stream
  | 'io-error'          // the transport failed
  | 'timeout'           // handshake, keepalive or idle deadline passed
  | 'version-mismatch'  // the peer speaks another protocol version
  | 'bad-prologue'      // the peer's first bytes are not our magic
  | 'frame-too-large'   // a length prefix above the maximum
  | 'send-overflow'     // the writer buffered more than allowed (peer not reading)
  | 'handshake-failed'  // a malformed or inconsistent handshake message
  | 'wrong-identity'    // the peer is not the expected public key
  | 'bad-signature'     // the peer's handshake signature does not verify
  | 'bad-nonce'         // replayed, reordered or dropped encrypted frame
  | 'decrypt-failed'    // tampered or forged encrypted frame
  | 'bad-message'       // a frame that does not decode, or a message out of place
  | 'limit'             // a server limit cut the connection
  | 'refused'           // the relay has nothing to pair this request with
  | 'shutdown';         // the server is shutting down

export interface CloseReason {
  readonly kind: CloseKind;
  readonly detail: string;
}

export const closeReason = (kind: CloseKind, detail = ''): CloseReason => ({ kind, detail });

export function describeClose(r: CloseReason): string {
  return r.detail === '' ? r.kind : `${r.kind}: ${r.detail}`;
}

/** Rejection of a send or connect on a closed stream; carries the reason it closed. */
export class ChannelClosedError extends Error {
  override readonly name = 'ChannelClosedError';
  constructor(readonly reason: CloseReason) {
    super(`channel closed (${describeClose(reason)})`);
  }
}
