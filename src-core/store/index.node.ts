/** The node store's public face for node code (node/, cli/, src-main): docs/store.md. */
export * from './index.ts';
export { type CheckpointPolicy, DEFAULT_CHECKPOINT_POLICY } from './checkpoint-policy.ts';
export { initNodeDatabase } from './init-node-database.node.ts';
export { type JournalSync, type NodeStore, type OpenOptions, type StoreClock, type StoreStats, openNodeStore } from './node-store.node.ts';
export { setSqlJsWasmPath } from './sqljs.node.ts';
export { type StoreFiles, storeFiles } from './store-files.ts';
