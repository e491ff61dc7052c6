/** What the wallet host needs from its local cards' node engines (card-engines.node.ts builds
 *  the real one). Kept apart so the host itself stays free of node-only imports. */
import type { AppTicketView, BridgeError, CardBalance, CliAccess, IssuedAppTicket, Result, TicketPermissions } from './bridge.ts';

export interface CardEngineStatus {
  /** The card's node is running (the wallet is unlocked and it started). */
  readonly online: boolean;
  readonly balances: readonly CardBalance[];
  /** Friends whose channel is inconsistent (CardView.needsReset); 0 when unknown. */
  readonly needsReset?: number;
  /** The highest percent of its limit any of the card's debts reaches (CardView.closestToLimit). */
  readonly closestToLimit?: number;
  /** Why it is not online, when known (one sentence). */
  readonly problem?: string;
}

export interface CardEngines {
  /** Creates the card's folder and a node database bound to `publicKey`. */
  create(cardId: string, publicKey: Uint8Array): Promise<void>;
  /** Starts the card's node. The node keeps its own copy of `seed` until it stops. A card whose
   *  folder does not exist yet (made before cards had nodes) gets a new database first. */
  start(cardId: string, publicKey: Uint8Array, seed: Uint8Array): Promise<void>;
  /** Stops every node cleanly (checkpoint, close); their seeds are dropped with them. */
  stopAll(): Promise<void>;
  /** Stops the card's node and deletes the card's folder. */
  destroy(cardId: string): Promise<void>;
  status(cardId: string): CardEngineStatus;
  /** Opens a new UI session on the card's node (replacing the previous one): its first message,
   *  the report, and everything after it arrive as `app.message` events. */
  connectApp(cardId: string): Promise<Result<void, BridgeError>>;
  /** One app-protocol message (AppToNode, canonical encoding) from the UI to the card's node. */
  appRequest(cardId: string, message: Uint8Array): Promise<Result<void, BridgeError>>;
  cliEnable(cardId: string, address: string): Promise<Result<CliAccess, BridgeError>>;
  cliDisable(cardId: string): Promise<Result<void, BridgeError>>;
  /** Where the card listens for stctrl and the files cli.enable wrote; null while it does not. */
  cliStatus(cardId: string): Promise<Result<CliAccess | null, BridgeError>>;
  /** Scoped pairing (app-tickets.node.ts): the card's app tickets, a new one, revoking one. */
  ticketsList(cardId: string): Promise<Result<{ readonly tickets: readonly AppTicketView[] }, BridgeError>>;
  ticketsIssue(cardId: string, name: string, permissions: TicketPermissions): Promise<Result<IssuedAppTicket, BridgeError>>;
  ticketsRevoke(cardId: string, ticketId: string): Promise<Result<void, BridgeError>>;
  /** Trusts a given app ticket (an app with its own identity) on the card's listener. */
  ticketsTrust(cardId: string, name: string, ticket: string): Promise<Result<AppTicketView, BridgeError>>;
  /** A consistent, complete copy of the card's node database: its node (if running) is stopped
   *  (checkpoint, close), the store is opened and closed once more (folding any journal into the
   *  file), the file is read, and the node is started again with `seed` if it was running. */
  backupDatabase(cardId: string, publicKey: Uint8Array, seed: Uint8Array): Promise<Uint8Array>;
  /** Makes the card's folder from a backed-up database, which must open as the node database of
   *  `publicKey` (otherwise `bad-input`, nothing left behind). Refuses a folder that exists. */
  restoreDatabase(cardId: string, publicKey: Uint8Array, database: Uint8Array): Promise<Result<void, BridgeError>>;
  /** Called with a card id whenever its status (online, balances) changed. */
  onChange(listener: (cardId: string) => void): () => void;
}

