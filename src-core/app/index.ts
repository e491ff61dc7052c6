/** The app protocol (docs/app-protocol.md): messages and codecs, the node report and its
 *  reducer, permissions, the server session the node runs per app, the client stctrl and the
 *  wallet use, and stctrl's text formats. Browser-safe throughout. */
export * from './wire-common.ts';
export * from './node-report.ts';
export * from './messages.ts';
export * from './report.ts';
export * from './permissions.ts';
export * from './transport.ts';
export * from './server.ts';
export * from './client.ts';
export * from './format.ts';
export * from './buyer.ts';
export * from './history-query.ts';
export * from './debt-limits.ts';
