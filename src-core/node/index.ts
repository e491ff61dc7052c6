/** The node: funder + channeler + index client + app server + store (docs/node.md). Node-only. */
export { MAX_QUEUED_FRIEND_MESSAGES, type NodeOptions, type RunningNode, startNode } from './node.ts';
export { type FriendMessageStats } from './intake.ts';
export { NodeLoadError, loadNodeState } from './load.ts';
export { buildReport, diffReport, type PeerTerms } from './report.ts';
export { capacities, type Capacity } from './capacities.ts';
export { readTrustedApps, type TrustedApps } from './trusted.ts';
export * from './wire.ts';
