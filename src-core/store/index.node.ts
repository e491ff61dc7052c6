/** The node store's public face for node code (node/, cli/, src-main): docs/store.md. */
export * from './index.ts';
export {
  type CheckpointPolicy, type NodeStore, type OpenOptions, type StoreClock, type StoreStats,
  initNodeDatabase, openNodeStore, storeFiles,
} from './node-store.node.ts';
export { setSqlJsWasmPath } from './sqljs.node.ts';
