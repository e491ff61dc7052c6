/** The strict canonical binary codec (ARCHITECTURE §4). Browser-safe. */
export * from './errors.ts';
export { Reader } from './reader.ts';
export { Writer } from './writer.ts';
export * from './codecs.ts';
export { distinctBy, uniqueList } from './unique.ts';
export * from './base64url.ts';
export { type HostileInput, hostileInputs, truncationsAndExtensions } from './hostile.ts';
