/** Relay protocol messages (docs/net.md "Relay"). Each connection from a client to the relay is a
 *  secure channel whose first message is an InitConnection. */
import { fixedBytes, struct, union } from '../codec/index.ts';

const pk = struct({ publicKey: fixedBytes(32) });

export const initConnection = union({
  /** A control connection: the relay announces IncomingConnection over it. */
  listen: [0, struct({})],
  /** Answers an IncomingConnection: pair this connection with the one from `publicKey`. */
  accept: [1, pk],
  /** Asks to reach `publicKey`, which must be listening on this relay. */
  connect: [2, pk],
});
export type InitConnection = ReturnType<typeof initConnection.decode>;

/** Relay → listener, over the control connection. */
export const relayToListener = union({
  incomingConnection: [0, pk],
});
export type RelayToListener = ReturnType<typeof relayToListener.decode>;
