/** The index server's state, without I/O: the latest signed report of each node, the capacity graph
 *  built from them, expiry by the node's report time on the server's clock (passed in), and route answers.
 *  The shell (server.ts) feeds it reports from nodes and federated servers and forwards what it accepts. */
import { type CryptoBackend } from '../crypto/index.ts';
import { type IndexRoute, type ReportOutcome, type SignedNodeReport } from '../proto/index.ts';
import { CapacityGraph } from './graph.ts';
import { keyId } from './node-key.ts';
import { isNewerReport, verifyNodeReport } from './report.ts';
import { DEFAULT_LIMITS, type RouteRequest, type SearchLimits, findRoutes } from './route-search.ts';

export interface ServerCoreOptions {
  readonly crypto: CryptoBackend;
  /** A report this old (by its own time, against the server's clock) is dropped. */
  readonly ttlMs: number;
  /** Reports dated further than this into the future are refused (clock skew allowance). */
  readonly maxSkewMs: number;
  readonly limits?: SearchLimits;
  /** New friendships become routable at most this long after they are reported (a rebuild of the
   *  search copy costs ~30 ms at 10k nodes). Capacity changes and losses apply at once. Default 0. */
  readonly rebuildEveryMs?: number;
}

export class IndexServerCore {
  readonly graph = new CapacityGraph();
  private readonly reports = new Map<string, SignedNodeReport>();

  constructor(private readonly opts: ServerCoreOptions) {}

  /** Takes a report if it is valid, fresh and newer than the one held for its node. */
  acceptReport(report: SignedNodeReport, now: number): ReportOutcome {
    const { body } = report;
    const time = Number(body.time);
    if (time > now + this.opts.maxSkewMs) return 'from-future';
    if (now - time >= this.opts.ttlMs) return 'expired';
    const id = keyId(body.node);
    const held = this.reports.get(id);
    if (held !== undefined && !isNewerReport(body, held.body)) return 'stale';
    if (!verifyNodeReport(this.opts.crypto, report)) return 'bad-signature';
    this.reports.set(id, report);
    this.graph.setNode(body.node, body.friends);
    return 'accepted';
  }

  /** Drops every report that has reached its time to live; returns how many. */
  expire(now: number): number {
    let dropped = 0;
    for (const [id, r] of this.reports) {
      if (now - Number(r.body.time) >= this.opts.ttlMs) {
        this.reports.delete(id);
        this.graph.removeNode(r.body.node);
        dropped++;
      }
    }
    return dropped;
  }

  routes(request: RouteRequest, now = 0): IndexRoute[] {
    const freshness = { now, minRebuildIntervalMs: this.opts.rebuildEveryMs ?? 0 };
    return findRoutes(this.graph, request, this.opts.limits ?? DEFAULT_LIMITS, freshness)
      .map((r) => ({ route: r.route, capacity: r.capacity, rate: r.rate }));
  }

  /** Every report held (for a federation peer that just connected). */
  heldReports(): SignedNodeReport[] {
    return [...this.reports.values()];
  }

  report(node: Uint8Array): SignedNodeReport | undefined {
    return this.reports.get(keyId(node));
  }

  get nodeCount(): number {
    return this.reports.size;
  }
}
