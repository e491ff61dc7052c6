/** Index servers and the index client (docs/index-server.md). Browser-safe; the TCP server is
 *  `server.node.ts` (listenIndexServer), imported directly by node code. */
export { type Rate, ZERO_RATE, calcFee, maxPayable, addRates } from './rate.ts';
export { CapacityGraph, type FriendCapacity } from './graph.ts';
export { type FriendCurrencyNumbers, capacityEntry, recvCapacity, sendCapacity } from './capacity.ts';
export {
  type FoundRoute, type Freshness, type RouteRequest, type SearchLimits, DEFAULT_LIMITS, findRoutes,
} from './route-search.ts';
export { type RouteCapacity, type RoutePart, splitPayment } from './multi-route.ts';
export { signNodeReport, verifyNodeReport, isNewerReport } from './report.ts';
export { IndexServerCore, type ServerCoreOptions } from './server-core.ts';
export { IndexServer, type IndexServerOptions, type TrustedServer } from './server.ts';
export {
  IndexClient, type IndexClientOptions, type IndexServerAddress, type RouteError, type RouteQuery,
} from './client.ts';
