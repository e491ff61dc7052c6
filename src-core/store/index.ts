/** Persistence (ARCHITECTURE §4 "Storage"): the browser-safe parts — errors, history rows and
 *  queries, the schema. The durable store itself is node-only: import it from `./index.node.ts`. */
export { StoreError, type StoreErrorCode, isStoreError } from './errors.ts';
export { type HistoryRow, type HistoryVia, type HistoryQuery, HISTORY_LIMITS, MAX_HISTORY_PAGE, historyRowCodec } from './history.ts';
export { SCHEMA_VERSION } from './schema.ts';
