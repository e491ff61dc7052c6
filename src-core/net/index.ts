/** Network layer: framing, secure channel, keepalive (browser-safe parts). TCP lives in
 *  `tcp.node.ts`, imported directly by node code. */
export * from './clock.ts';
export * from './close-reason.ts';
export * from './frame.ts';
export { type FrameStream, FrameStreamBase } from './frame-stream.ts';
export { FrameInbox } from './inbox.ts';
export { type SecureChannel, type SecureChannelOptions, secureChannel } from './secure-channel.ts';
