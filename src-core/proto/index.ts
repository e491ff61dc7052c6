/** Message types, their codecs, and the signed buffers shared with the original. Browser-safe. */
export * from './canonical.ts';
export * from './signed-buffers.ts';
export * from './funder.ts';
export * from './funder-canonical.ts';
export * from './index-server.ts';
