/** What the wallet host needs from its remote cards' connections (remote-cards.node.ts builds the
 *  real one): each remote card is an app connection to a remote `stnode`, kept open while the
 *  wallet is unlocked. Kept apart so the host itself stays free of node-only imports. */
import type { RemoteCard } from '../src-core/files/index.ts';
import type { BridgeError, Result } from './bridge.ts';
import type { CardEngineStatus } from './card-engines.ts';

export interface RemoteCards {
  /** Keeps the card connected from now on: connects in the background, and again (with backoff)
   *  whenever its node goes away, until `stop`. Takes its own copy of the app's private key. */
  start(cardId: string, card: RemoteCard): void;
  /** Closes the card's connection and forgets its key. */
  stop(cardId: string): Promise<void>;
  stopAll(): Promise<void>;
  /** `online`: connected and the node's report arrived; `balances` from that report. */
  status(cardId: string): CardEngineStatus;
  /** A new app connection to the card's node now (replacing the current one): its first
   *  `app.message` is the report. `unavailable` (with the reason) when the node cannot be reached;
   *  the card keeps trying in the background. */
  connectApp(cardId: string): Promise<Result<void, BridgeError>>;
  /** One app-protocol message (AppToNode, canonical encoding) for the card's node. */
  appRequest(cardId: string, message: Uint8Array): Promise<Result<void, BridgeError>>;
  /** Called with a card id whenever its status (online, balances) changed. */
  onChange(listener: (cardId: string) => void): () => void;
}
