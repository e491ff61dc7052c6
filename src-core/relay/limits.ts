/** What one relay accepts, so that one client (or one key) cannot exhaust it. */

export interface RelayLimits {
  /** Open connections overall, authenticated or not; more are refused at accept. */
  readonly maxConnections: number;
  /** Connections that have not finished the handshake and InitConnection. When full, the
   *  oldest is cut to admit the newest: honest clients finish in milliseconds, half-open ones
   *  are the ones that age. */
  readonly maxHandshaking: number;
  /** Authenticated connections per client public key. */
  readonly maxConnectionsPerKey: number;
  /** Connect requests waiting for the listener's Accept, overall and per key (either end). */
  readonly maxPendingPairings: number;
  readonly maxPendingPairingsPerKey: number;
  /** From TCP accept to a valid InitConnection. */
  readonly handshakeTimeoutMs: number;
  /** From Connect to the listener's Accept. */
  readonly pairingTimeoutMs: number;
  /** A paired tunnel that forwards nothing for this long is closed (end-to-end keepalives
   *  keep a live tunnel busy). */
  readonly idleTimeoutMs: number;
  /** Keepalive and timeout of every client ⇄ relay channel. */
  readonly keepaliveMs: number;
  readonly timeoutMs: number;
}

export const DEFAULT_RELAY_LIMITS: RelayLimits = {
  maxConnections: 4096,
  maxHandshaking: 256,
  maxConnectionsPerKey: 64,
  maxPendingPairings: 1024,
  maxPendingPairingsPerKey: 32,
  handshakeTimeoutMs: 10_000,
  pairingTimeoutMs: 15_000,
  idleTimeoutMs: 120_000,
  keepaliveMs: 10_000,
  timeoutMs: 30_000,
};
