/** Index server protocol (docs/index-server.md). Three conversations, each over its own secure channel:
 *  node → server (signed capacity reports, route requests), server → node (acks, routes), and
 *  server ⇄ server (federation: forwarded signed reports). A node report is a full snapshot of what the
 *  node says about its friends, signed by the node, so any server can verify a forwarded one and none can
 *  forge it. Its signed buffer is H("INDEX_NODE_REPORT") ‖ encode(nodeReportBody) (our wire, not the
 *  original's MUTATIONS_UPDATE buffer, which never crosses implementations). */
import {
  type Codec, type Infer, list, option, refine, struct, u128, u64, union, unit,
} from '../codec/index.ts';
import { type CryptoBackend } from '../crypto/index.ts';
import { currency, publicKey, rate, signature, uid } from './funder.ts';

/** Friend × currency entries in one node report. */
export const MAX_REPORT_ENTRIES = 2048;
/** Routes in one answer. */
export const MAX_ROUTES_IN_RESPONSE = 32;
/** Nodes in one route, both ends included (a funder route is < 32 keys). */
export const MAX_INDEX_ROUTE_LEN = 31;
/** Reports in one federation batch (each batch must also fit one message: see batchReports). */
export const MAX_REPORTS_IN_BATCH = 512;

export const friendCapacity = struct({
  friend: publicKey,
  currency,
  sendCapacity: u128,
  recvCapacity: u128,
  rate,
});
export type FriendCapacityMsg = Infer<typeof friendCapacity>;

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

export const nodeReportBody = refine(
  struct({
    node: publicKey,
    /** The node's clock, ms since the Unix epoch: newer reports replace older ones, old ones expire. */
    time: u64,
    /** Orders reports made within the same millisecond. */
    counter: u64,
    friends: list(friendCapacity, { max: MAX_REPORT_ENTRIES }),
  }),
  (b) => {
    const self = hex(b.node);
    const seen = new Set<string>();
    for (const f of b.friends) {
      const fk = hex(f.friend);
      if (fk === self) return 'a node cannot report itself as a friend';
      const k = `${fk}/${f.currency}`;
      if (seen.has(k)) return 'duplicate friend and currency';
      seen.add(k);
    }
    return undefined;
  },
);
export type NodeReportBody = Infer<typeof nodeReportBody>;

export const signedNodeReport = struct({ body: nodeReportBody, signature });
export type SignedNodeReport = Infer<typeof signedNodeReport>;

export const indexRoute = refine(
  struct({ route: list(publicKey, { max: MAX_INDEX_ROUTE_LEN }), capacity: u128, rate }),
  (r) => (r.route.length < 2 ? 'a route names at least its source and destination' : undefined),
);
export type IndexRoute = Infer<typeof indexRoute>;

/** node → server */
export const indexClientMessage = union({
  report: [0, struct({ report: signedNodeReport })],
  /** `exclude`: a directed friendship the routes must not use (the original's opt_exclude). */
  'route-request': [1, struct({
    requestId: uid, source: publicKey, destination: publicKey, currency, amount: u128,
    exclude: option(struct({ from: publicKey, to: publicKey })),
  })],
});
export type IndexClientMessage = Infer<typeof indexClientMessage>;

export const REPORT_OUTCOMES = ['accepted', 'stale', 'expired', 'from-future', 'bad-signature', 'wrong-node'] as const;
export type ReportOutcome = (typeof REPORT_OUTCOMES)[number];
const reportOutcome: Codec<ReportOutcome> = {
  encode(w, v) {
    const i = REPORT_OUTCOMES.indexOf(v);
    if (i < 0) throw new RangeError(`unknown report outcome ${String(v)}`);
    w.u8(i);
  },
  decode(r) {
    const i = r.u8();
    const v = REPORT_OUTCOMES[i];
    return v ?? r.fail('bad-tag', `report outcome ${i}`);
  },
};

/** server → node */
export const indexServerMessage = union({
  'report-ack': [0, struct({ time: u64, counter: u64, outcome: reportOutcome })],
  'route-response': [1, struct({ requestId: uid, routes: list(indexRoute, { max: MAX_ROUTES_IN_RESPONSE }) })],
});
export type IndexServerMessage = Infer<typeof indexServerMessage>;

/** server ⇄ server */
export const federationMessage = union({
  reports: [0, struct({ reports: list(signedNodeReport, { max: MAX_REPORTS_IN_BATCH }) })],
  keepalive: [1, unit],
});
export type FederationMessage = Infer<typeof federationMessage>;

const PREFIX = new TextEncoder().encode('INDEX_NODE_REPORT');
const prefixHashes = new WeakMap<CryptoBackend, Uint8Array>();

/** The bytes a node signs for a report: H("INDEX_NODE_REPORT") ‖ encode(body). */
export function nodeReportSignedBuffer(crypto: CryptoBackend, encodedBody: Uint8Array): Uint8Array {
  let prefix = prefixHashes.get(crypto);
  if (prefix === undefined) { prefix = crypto.sha512_256(PREFIX); prefixHashes.set(crypto, prefix); }
  const out = new Uint8Array(prefix.length + encodedBody.length);
  out.set(prefix, 0);
  out.set(encodedBody, prefix.length);
  return out;
}

