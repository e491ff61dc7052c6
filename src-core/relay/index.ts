/** Relays: the server (transport independent; TCP in `server.node.ts`) and the client. */
export * from './messages.ts';
export * from './limits.ts';
export { type Relay, type RelayOptions, type RelayStats, createRelay } from './server.ts';
export {
  type Dial, type ListenOptions, type RelayAddress, type RelayClientOptions, type RelayListener, connectViaRelay,
  listenViaRelay,
} from './client.ts';
