/** The bridge: the one typed door between the renderer and the wallet host (ARCHITECTURE §3, STYLE §4).
 *
 *  `BridgeRequests` maps each wallet-level request to its arguments and result; `BridgeEvents`
 *  maps what the host pushes. `BRIDGE_SCHEMAS` is the strict shape of each, used by the single
 *  bridge codec (bridge-codec.ts) for both transports: Electron IPC and the browser-mode
 *  WebSocket. Browser-safe: the renderer imports this file (and only this side of src-main). */
import { bool, bytes, i128, int, list, literal, nothing, nullable, obj, str, type Schema, u128 } from './bridge-schema.ts';

export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/** Opaque card id chosen by the host (base64url of 16 random bytes). */
export type CardId = string;

export type BridgeErrorCode =
  | 'bad-message' // not JSON, not an object, or not the call/response shape
  | 'unknown-request' // a request name the bridge does not know
  | 'bad-args' // arguments of the wrong shape (type, missing or extra field, too long)
  | 'too-large' // a message over MAX_BRIDGE_MESSAGE_CHARS
  | 'unknown-card' // no card with that id
  | 'bad-input' // well-formed but unacceptable (empty name, unreadable file)
  | 'locked' // the wallet must be unlocked first
  | 'wrong-password'
  | 'rate-limited' // too many wrong passwords: wait (the message says how long) and try again
  | 'unavailable' // not built yet, or the card's engine cannot take it now
  | 'disconnected' // the transport closed before the answer came (renderer side only)
  | 'internal'; // a bug in the host; the message says what

export interface BridgeError {
  readonly code: BridgeErrorCode;
  readonly message: string;
}

export interface CardBalance {
  readonly currency: string;
  readonly balance: bigint;
}

export interface CardView {
  readonly id: CardId;
  readonly name: string;
  /** The card's Ed25519 public key, base64url (43 characters). */
  readonly publicKey: string;
  readonly kind: 'local' | 'remote';
  readonly online: boolean;
  readonly balances: readonly CardBalance[];
  /** A remote card's node address (HOST:PORT, from its .rcard); null for a local card. */
  readonly address: string | null;
  /** When a backup of the card was last saved (`cards.backupSaved`), in ms since the Unix epoch;
   *  null until the first. Always null for a remote card (its key lives on its node). */
  readonly backedUpAt: number | null;
  /** How many of the card's friends have an inconsistent channel (frozen until reset), so the
   *  cards list can say so for every card, not only the open one; 0 while the card is offline. */
  readonly needsReset: number;
  /** The highest percent (0–1000) of its limit that any debt of the card reaches, in either
   *  direction, counting frozen credits (src-core/app/debt-limits.ts): the cards list warns past
   *  the alert setting's near-limit percent. 0 while the card is offline. */
  readonly closestToLimit: number;
  /** Why the card is offline although the wallet is unlocked (its node did not start; its remote
   *  node cannot be reached or does not trust the wallet), in one sentence; null otherwise. */
  readonly problem: string | null;
}

export interface WalletStatus {
  readonly locked: boolean;
  /** False until a first password is set (first run). */
  readonly hasPassword: boolean;
}

/** Ask the wallet password before paying more than `amount` (smallest units) in `currency`. */
export interface PayThreshold {
  readonly currency: string;
  readonly amount: bigint;
}

/** Settings that protect money, kept by the host (`safety.json`); changing them needs the
 *  wallet password (docs/wallet.md "Safety habits"). */
export interface SafetySettings {
  /** Lock the wallet after this many seconds without user input (`wallet.activity`); 0: never. */
  readonly autoLockSeconds: number;
  /** Per currency (each at most once). */
  readonly payPasswordAbove: readonly PayThreshold[];
  /** For currencies not listed; null: never ask. */
  readonly payPasswordAboveOther: bigint | null;
}

export const MAX_AUTO_LOCK_SECONDS = 7 * 24 * 3600;

export interface CardFile {
  /** `backup`: a backup written by cards.export; `rcard`: a remote card file (.rcard). */
  readonly kind: 'backup' | 'rcard';
  readonly text: string;
}

/** A card's fee cap in one currency: quotes with a higher fee cannot be confirmed (smallest units). */
export interface FeeCap {
  readonly currency: string;
  readonly cap: bigint;
}

export interface CliAccess {
  readonly address: string;
  readonly nodeTicket: string;
  readonly appIdent: string;
  readonly appTicket: string;
}

/** What an app ticket lets its app do (files/tickets.ts AppPermissions). */
export interface TicketPermissions {
  readonly buyer: boolean;
  readonly seller: boolean;
  readonly config: boolean;
  readonly routes: boolean;
}

/** One app ticket issued from the wallet for a card (scoped pairing, app-tickets.node.ts). */
export interface AppTicketView {
  /** base64url of 16 random bytes. */
  readonly id: string;
  readonly name: string;
  /** The app's public key, base64url. */
  readonly publicKey: string;
  readonly permissions: TicketPermissions;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
}

/** A new ticket and the files for its app: `appIdent` is the app's private identity (stctrl -I),
 *  `nodeTicket` where the card listens (stctrl -T), `rcard` both in one (another wallet; QR). */
export interface IssuedAppTicket {
  readonly ticket: AppTicketView;
  readonly appIdent: string;
  readonly nodeTicket: string;
  readonly rcard: string;
}

export interface BridgeRequests {
  'cards.list': { args: Record<string, never>; result: { readonly cards: readonly CardView[] } };
  'cards.create': { args: { readonly name: string }; result: { readonly card: CardView } };
  /** A backup (`file.kind: 'backup'`) opens with `password`, the one it was exported under. */
  'cards.import': { args: { readonly name: string; readonly file: CardFile; readonly password: string }; result: { readonly card: CardView } };
  /** Moves a node made with the command line tools into the wallet as a local card: its identity
   *  file's text (`stmgr gen-ident`) and its database file (`node.db`, bound to that identity).
   *  The node must not run anywhere else afterwards. */
  'cards.importNode': { args: { readonly name: string; readonly ident: string; readonly database: Uint8Array }; result: { readonly card: CardView } };
  /** A backup of the card (seed + node database) sealed under `password`, as a file's text for
   *  the renderer to save (`fileName` is a suggestion). */
  'cards.export': { args: { readonly cardId: CardId; readonly password: string }; result: { readonly fileName: string; readonly text: string } };
  /** The renderer saved the file `cards.export` made (the save dialog returned, or the download
   *  started): only now does the card count as backed up, so a cancelled save leaves the reminder. */
  'cards.backupSaved': { args: { readonly cardId: CardId }; result: void };
  'cards.remove': { args: { readonly cardId: CardId }; result: void };
  'cards.rename': { args: { readonly cardId: CardId; readonly name: string }; result: { readonly card: CardView } };
  'wallet.status': { args: Record<string, never>; result: WalletStatus };
  /** First run: set the password that seals the cards' keys (the wallet is then unlocked). */
  'wallet.create': { args: { readonly password: string }; result: void };
  'wallet.lock': { args: Record<string, never>; result: void };
  'wallet.unlock': { args: { readonly password: string }; result: void };
  'wallet.changePassword': { args: { readonly oldPassword: string; readonly newPassword: string }; result: void };
  /** Checks the wallet password and changes nothing (the renderer's confirm-with-password).
   *  Needs the wallet unlocked; wrong passwords are rate-limited (shared with unlock). */
  'wallet.verifyPassword': { args: { readonly password: string }; result: void };
  /** The user did something (key, pointer): restarts the idle time of the auto-lock. */
  'wallet.activity': { args: Record<string, never>; result: void };
  'safety.get': { args: Record<string, never>; result: SafetySettings };
  /** Needs the wallet unlocked and its password. */
  'safety.set': { args: { readonly settings: SafetySettings; readonly password: string }; result: void };
  'cli.enable': { args: { readonly cardId: CardId; readonly address: string }; result: CliAccess };
  'cli.disable': { args: { readonly cardId: CardId }; result: void };
  /** Whether command line access is on (the card listens for stctrl), and then where and with
   *  which files, as `cli.enable` answered; `access: null` while off (and for a remote card). */
  'cli.status': { args: { readonly cardId: CardId }; result: { readonly access: CliAccess | null } };
  /** Scoped pairing: the card's app tickets; issue one with chosen permissions (the card must be
   *  listening: cli.enable); revoke one (its app is disconnected at once). */
  'cli.tickets.list': { args: { readonly cardId: CardId }; result: { readonly tickets: readonly AppTicketView[] } };
  'cli.tickets.issue': { args: { readonly cardId: CardId; readonly name: string; readonly permissions: TicketPermissions }; result: IssuedAppTicket };
  'cli.tickets.revoke': { args: { readonly cardId: CardId; readonly ticketId: string }; result: void };
  /** Trusts an app with its own identity: its app ticket's text (`stmgr app-ticket`), under a name. */
  'cli.tickets.trust': { args: { readonly cardId: CardId; readonly name: string; readonly ticket: string }; result: { readonly ticket: AppTicketView } };
  /** One app-protocol message (its canonical binary encoding, src-core/app) for the named card.
   *  The card's answers (acks, snapshot, mutations, results) come back as `app.message` events. */
  'app.request': { args: { readonly cardId: CardId; readonly message: Uint8Array }; result: void };
  /** Opens a new app session on the card (replacing the previous one, as a reconnect would): its
   *  first `app.message` is the report with the permissions, as on any app connection. A local
   *  card's session starts by itself at unlock; a renderer that came later asks with this. */
  'app.connect': { args: { readonly cardId: CardId }; result: void };
  /** The seller's wallet cancels the card's invoice at `expiresAt` (seconds since the Unix epoch),
   *  even with no window open (card-prefs.ts; docs/wallet.md "Invoice expiry"). */
  'invoices.setExpiry': { args: { readonly cardId: CardId; readonly invoiceId: Uint8Array; readonly expiresAt: number }; result: void };
  /** The card's fee caps, one per currency (none: no cap). */
  'feeCaps.get': { args: { readonly cardId: CardId }; result: { readonly caps: readonly FeeCap[] } };
  /** Sets (`cap`) or removes (`null`) the card's fee cap in `currency`. */
  'feeCaps.set': { args: { readonly cardId: CardId; readonly currency: string; readonly cap: bigint | null }; result: void };
}

export interface BridgeEvents {
  'cards.changed': { readonly cards: readonly CardView[] };
  'wallet.changed': WalletStatus;
  'safety.changed': SafetySettings;
  'app.message': { readonly cardId: CardId; readonly message: Uint8Array };
  /** Electron: the OS opened an `offset:` link with the wallet (protocol handler). */
  'link.open': { readonly link: string };
  /** A card's fee caps changed (feeCaps.set from any window). */
  'feeCaps.changed': { readonly cardId: CardId; readonly caps: readonly FeeCap[] };
}

export type RequestName = keyof BridgeRequests;
export type EventName = keyof BridgeEvents;
export type ArgsOf<K extends RequestName> = BridgeRequests[K]['args'];
export type ResultOf<K extends RequestName> = BridgeRequests[K]['result'];

/** The renderer's typed view of the bridge (built over a transport by the bridge client). */
export interface Bridge {
  call<K extends RequestName>(name: K, args: ArgsOf<K>): Promise<Result<ResultOf<K>, BridgeError>>;
  onEvent<E extends EventName>(name: E, listener: (payload: BridgeEvents[E]) => void): () => void;
}

/** What the Electron preload exposes as `window.offset` and what the browser-mode WebSocket
 *  client provides: raw bridge-codec text both ways. */
export interface OffsetBridge {
  call(message: string): Promise<string>;
  onEvent(listener: (message: string) => void): () => void;
}

/** Electron: the IPC channels of the preload (prefixed `offset:`; nothing else is exposed). */
export const IPC_CALL_CHANNEL = 'offset:call';
export const IPC_EVENT_CHANNEL = 'offset:event';

/** Electron only: the native open and save dialogs, exposed by the preload as `window.offsetFiles`
 *  (the renderer's file port uses them when present, else the browser's file input and download).
 *  The main process shows the dialog and reads or writes the file the person chose; the page never
 *  names a path. `extensions` are like '.invoice'; `name` is a suggested file name. */
export interface OffsetFiles {
  openText(extensions: readonly string[]): Promise<NativeOpenResult>;
  save(name: string, data: Uint8Array): Promise<NativeSaveResult>;
}
export type NativeOpenResult =
  | { readonly kind: 'opened'; readonly name: string; readonly text: string }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly reason: 'too-large' | 'unreadable' | 'refused' };
export type NativeSaveResult =
  | { readonly kind: 'saved'; readonly name: string }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly message: string };
export const IPC_FILE_OPEN_CHANNEL = 'offset:file-open';
export const IPC_FILE_SAVE_CHANNEL = 'offset:file-save';
/** Files the native dialogs read or write are bounded like card files. */
export const MAX_NATIVE_FILE_BYTES = 16 * 1024 * 1024;

/** Browser mode: the WebSocket path, the subprotocol both sides speak, and the prefix of the
 *  second subprotocol that carries the per-run token (src-main/browser-host.node.ts). */
export const BRIDGE_WS_PATH = '/bridge';
export const BRIDGE_WS_PROTOCOL = 'offset-bridge';
export const BRIDGE_TOKEN_PROTOCOL_PREFIX = 'offset-token.';

/** Both transports reject a message longer than this before parsing it. */
export const MAX_BRIDGE_MESSAGE_CHARS = 17 * 1024 * 1024;
/** App-protocol messages are bounded by the app protocol's own frame limit; this caps the bridge. */
export const MAX_APP_MESSAGE_BYTES = 1024 * 1024;
export const MAX_CARD_FILE_CHARS = 16 * 1024 * 1024;
/** A node database moved into the wallet (`cards.importNode`); its base64url fits a bridge message. */
export const MAX_NODE_DATABASE_BYTES = 12 * 1024 * 1024;
export const MAX_CARD_NAME_CHARS = 64;
/** An `offset:` link (a commit's QR payload is ~330 characters; rcards and friends are longer). */
export const MAX_LINK_CHARS = 8192;
/** Invoice expiry times are seconds since the epoch up to the year 9999 (src-core/files). */
export const MAX_EXPIRES_AT = 253_402_300_799;
/** The host refuses shorter new passwords (counted in code points); the UI says so up front. */
export const MIN_PASSWORD_LENGTH = 8;

const cardId = str({ maxLength: 64, minLength: 1, pattern: /^[A-Za-z0-9_-]+$/ });
const cardName = str({ maxLength: MAX_CARD_NAME_CHARS });
const password = str({ maxLength: 1024 });
const empty = obj({}) as unknown as Schema<Record<string, never>>;
const cardView: Schema<CardView> = obj({
  id: cardId,
  name: cardName,
  publicKey: str({ maxLength: 43, minLength: 43, pattern: /^[A-Za-z0-9_-]+$/ }),
  kind: literal('local', 'remote'),
  online: bool,
  balances: list(obj({ currency: str({ maxLength: 16, minLength: 1 }), balance: i128 }), { max: 1000 }),
  address: nullable(str({ maxLength: 300, minLength: 1 })),
  backedUpAt: nullable(int({ min: 0, max: Number.MAX_SAFE_INTEGER })),
  needsReset: int({ min: 0, max: 1_000_000 }),
  closestToLimit: int({ min: 0, max: 1000 }),
  problem: nullable(str({ maxLength: 1000 })),
});
const cardList = obj({ cards: list(cardView, { max: 10_000 }) });
const cliAccess: Schema<CliAccess> = obj({
  address: str({ maxLength: 300 }),
  nodeTicket: str({ maxLength: 100_000 }),
  appIdent: str({ maxLength: 100_000 }),
  appTicket: str({ maxLength: 100_000 }),
});
const feeCaps = list(obj({ currency: str({ maxLength: 16, minLength: 1 }), cap: u128 }), { max: 1000 });
const walletStatus: Schema<WalletStatus> = obj({ locked: bool, hasPassword: bool });
const safetySettings: Schema<SafetySettings> = obj({
  autoLockSeconds: int({ min: 0, max: MAX_AUTO_LOCK_SECONDS }),
  payPasswordAbove: list(obj({ currency: str({ maxLength: 16, minLength: 1 }), amount: u128 }), { max: 100 }),
  payPasswordAboveOther: nullable(u128),
});

type SchemaTable<M> = { readonly [K in keyof M]: M[K] extends { args: infer A; result: infer R } ? { readonly args: Schema<A>; readonly result: Schema<R> } : never };

const ticketPermissions: Schema<TicketPermissions> = obj({ buyer: bool, seller: bool, config: bool, routes: bool });
const appTicketView: Schema<AppTicketView> = obj({
  id: str({ maxLength: 22, minLength: 22, pattern: /^[A-Za-z0-9_-]+$/ }), name: str({ maxLength: 32 }), publicKey: str({ maxLength: 64 }),
  permissions: ticketPermissions, createdAt: int({ min: 0, max: Number.MAX_SAFE_INTEGER }),
});

export const REQUEST_SCHEMAS: SchemaTable<BridgeRequests> = {
  'cards.list': { args: empty, result: cardList },
  'cards.create': { args: obj({ name: cardName }), result: obj({ card: cardView }) },
  'cards.import': {
    args: obj({ name: cardName, file: obj({ kind: literal('backup', 'rcard'), text: str({ maxLength: MAX_CARD_FILE_CHARS }) }), password }),
    result: obj({ card: cardView }),
  },
  'cards.importNode': {
    args: obj({ name: cardName, ident: str({ maxLength: 10_000 }), database: bytes({ maxBytes: MAX_NODE_DATABASE_BYTES }) }),
    result: obj({ card: cardView }),
  },
  'cards.export': { args: obj({ cardId, password }), result: obj({ fileName: str({ maxLength: 255 }), text: str({ maxLength: MAX_CARD_FILE_CHARS }) }) },
  'cards.backupSaved': { args: obj({ cardId }), result: nothing },
  'cards.remove': { args: obj({ cardId }), result: nothing },
  'cards.rename': { args: obj({ cardId, name: cardName }), result: obj({ card: cardView }) },
  'wallet.status': { args: empty, result: walletStatus },
  'wallet.create': { args: obj({ password }), result: nothing },
  'wallet.lock': { args: empty, result: nothing },
  'wallet.unlock': { args: obj({ password }), result: nothing },
  'wallet.changePassword': { args: obj({ oldPassword: password, newPassword: password }), result: nothing },
  'wallet.verifyPassword': { args: obj({ password }), result: nothing },
  'wallet.activity': { args: empty, result: nothing },
  'safety.get': { args: empty, result: safetySettings },
  'safety.set': { args: obj({ settings: safetySettings, password }), result: nothing },
  'cli.enable': {
    args: obj({ cardId, address: str({ maxLength: 300, minLength: 1 }) }),
    result: cliAccess,
  },
  'cli.disable': { args: obj({ cardId }), result: nothing },
  'cli.status': { args: obj({ cardId }), result: obj({ access: nullable(cliAccess) }) },
  'cli.tickets.list': { args: obj({ cardId }), result: obj({ tickets: list(appTicketView, { max: 1000 }) }) },
  'cli.tickets.issue': {
    args: obj({ cardId, name: str({ maxLength: 32, minLength: 1 }), permissions: ticketPermissions }),
    result: obj({ ticket: appTicketView, appIdent: str({ maxLength: 100_000 }), nodeTicket: str({ maxLength: 100_000 }), rcard: str({ maxLength: 100_000 }) }),
  },
  'cli.tickets.revoke': { args: obj({ cardId, ticketId: str({ maxLength: 22, minLength: 22, pattern: /^[A-Za-z0-9_-]+$/ }) }), result: nothing },
  'cli.tickets.trust': { args: obj({ cardId, name: str({ maxLength: 200 }), ticket: str({ maxLength: 10_000 }) }), result: obj({ ticket: appTicketView }) },
  'app.request': { args: obj({ cardId, message: bytes({ maxBytes: MAX_APP_MESSAGE_BYTES }) }), result: nothing },
  'app.connect': { args: obj({ cardId }), result: nothing },
  'invoices.setExpiry': { args: obj({ cardId, invoiceId: bytes({ maxBytes: 32, length: 32 }), expiresAt: int({ min: 0, max: MAX_EXPIRES_AT }) }), result: nothing },
  'feeCaps.get': { args: obj({ cardId }), result: obj({ caps: feeCaps }) },
  'feeCaps.set': { args: obj({ cardId, currency: str({ maxLength: 16, minLength: 1 }), cap: nullable(u128) }), result: nothing },
};

export const EVENT_SCHEMAS: { readonly [E in EventName]: Schema<BridgeEvents[E]> } = {
  'cards.changed': cardList,
  'wallet.changed': walletStatus,
  'safety.changed': safetySettings,
  'app.message': obj({ cardId, message: bytes({ maxBytes: MAX_APP_MESSAGE_BYTES }) }),
  'link.open': obj({ link: str({ maxLength: MAX_LINK_CHARS }) }),
  'feeCaps.changed': obj({ cardId, caps: feeCaps }),
};

export const isRequestName = (name: string): name is RequestName => Object.prototype.hasOwnProperty.call(REQUEST_SCHEMAS, name);
export const isEventName = (name: string): name is EventName => Object.prototype.hasOwnProperty.call(EVENT_SCHEMAS, name);
