/** Network layer: framing, secure channel, keepalive (browser-safe parts). TCP lives in *.node.ts. */
export * from './clock.ts';
