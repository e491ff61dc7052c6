/** Seeded mutation fuzzing of every binary decoder that reads outside input: the secure channel's
 *  handshake and control messages, relay, index and federation messages, the funder's friend
 *  messages inside the node's peer envelope, the app protocol both ways, and the node's journal
 *  records (a database file is outside input too). Seeds come from the codecs themselves
 *  (gen-reader.ts), so a new field or variant is fuzzed without touching this file. */
import { describe, expect, it } from 'vitest';
import type { Codec } from '../../src-core/codec/index.ts';
import * as app from '../../src-core/app/index.ts';
import { funderMutationCodec, funderStateCodec } from '../../src-core/funder/index.ts';
import { controlMessage } from '../../src-core/net/channel-messages.ts';
import { exchangeDh, exchangeRandNonce } from '../../src-core/net/handshake.ts';
import { nodeConfigCodec, nodeRecordCodec, peerMessageCodec } from '../../src-core/node/index.ts';
import * as proto from '../../src-core/proto/index.ts';
import { initConnection, relayToListener } from '../../src-core/relay/index.ts';
import { validSeeds } from './gen-reader.ts';
import { codecTarget, fuzzConfig, fuzzTimeout, runFuzz } from './harness.ts';
import { prng, seedFor } from './prng.ts';

const cfg = fuzzConfig();

/** [name, codec, iterations in the default run]. */
const TARGETS: readonly (readonly [string, Codec<unknown>, number])[] = [
  ['net.exchangeRandNonce', exchangeRandNonce, 1500],
  ['net.exchangeDh', exchangeDh, 1500],
  ['net.controlMessage', controlMessage, 2000],
  ['relay.initConnection', initConnection, 2000],
  ['relay.relayToListener', relayToListener, 1500],
  ['index.indexClientMessage', proto.indexClientMessage, 4000],
  ['index.indexServerMessage', proto.indexServerMessage, 4000],
  ['index.federationMessage', proto.federationMessage, 4000],
  ['index.signedNodeReport', proto.signedNodeReport, 3000],
  ['funder.friendMessage', proto.friendMessage, 4000],
  ['funder.moveToken', proto.moveToken, 3000],
  ['node.peerMessage', peerMessageCodec, 4000],
  ['app.appToNode', app.appToNode, 5000],
  ['app.nodeToApp', app.nodeToApp, 5000],
  ['app.nodeReport', app.nodeReport, 3000],
  ['store.nodeRecord', nodeRecordCodec, 3000],
  ['store.funderMutation', funderMutationCodec, 3000],
  ['store.funderState', funderStateCodec, 2000],
  ['store.nodeConfig', nodeConfigCodec, 1500],
];

describe('fuzz: binary decoders return DecodeError or a canonical value, never throw', () => {
  it.each(TARGETS)('%s', (name, codec, iterations) => {
    const seeds = validSeeds(codec, prng(seedFor(cfg.runSeed, `seeds:${name}`)), 48);
    expect(seeds.length, `no valid seed could be generated for ${name}`).toBeGreaterThan(0);
    const stats = runFuzz(codecTarget(name, codec, seeds), iterations, cfg);
    expect(stats.rejected).toBeGreaterThan(0);
    expect(stats.accepted + stats.rejected).toBe(stats.iterations);
    if (cfg.scale > 1) console.log(JSON.stringify(stats));
  }, fuzzTimeout(cfg));
});
