/** Rebuilding the node's state at start: the snapshots of the last checkpoint, then every
 *  journal record after it, in order. Anything that does not decode, or a state that belongs to
 *  another identity, refuses the start (NodeLoadError) and changes nothing. */
import { decodeExact } from '../codec/index.ts';
import { bytesEqual } from '../crypto/index.ts';
import { type FunderState, PatchMismatch, applyMutation, funderStateCodec, initialFunderState } from '../funder/index.ts';
import type { NodeStore } from '../store/index.node.ts';
import { type NodeConfig, SNAPSHOT_FUNDER, SNAPSHOT_NODE, emptyNodeConfig, nodeConfigCodec, nodeRecordCodec } from './wire.ts';

export class NodeLoadError extends Error {
  override readonly name = 'NodeLoadError';
}

export function loadNodeState(store: NodeStore, publicKey: Uint8Array): { funder: FunderState; config: NodeConfig } {
  let funder = initialFunderState(publicKey);
  let config = emptyNodeConfig;
  const fs = store.snapshot(SNAPSHOT_FUNDER);
  if (fs !== undefined) {
    const d = decodeExact(funderStateCodec, fs);
    if (!d.ok) throw new NodeLoadError(`${store.path}: the funder snapshot is corrupt (${d.error.message})`);
    funder = d.value;
  }
  if (!bytesEqual(funder.localPublicKey, publicKey)) throw new NodeLoadError(`${store.path}: the funder state belongs to another identity`);
  const ns = store.snapshot(SNAPSHOT_NODE);
  if (ns !== undefined) {
    const d = decodeExact(nodeConfigCodec, ns);
    if (!d.ok) throw new NodeLoadError(`${store.path}: the node configuration snapshot is corrupt (${d.error.message})`);
    config = d.value;
  }
  store.replay.forEach((bytes, i) => {
    const d = decodeExact(nodeRecordCodec, bytes);
    if (!d.ok) throw new NodeLoadError(`${store.path}: journal record ${i} is corrupt (${d.error.message})`);
    if (d.value.kind === 'config') { config = d.value.config; return; }
    try {
      funder = applyMutation(funder, d.value.mutation);
    } catch (e) {
      if (!(e instanceof PatchMismatch)) throw e;
      throw new NodeLoadError(`${store.path}: journal record ${i} does not fit the state before it (${e.message})`);
    }
  });
  return { funder, config };
}
