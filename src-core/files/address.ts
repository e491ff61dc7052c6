/** Network addresses in tickets and cards: `host:port`, host a DNS name, an IPv4 address or a
 *  bracketed IPv6 address, port 1..65535. At most 256 bytes, as the original's
 *  MAX_NET_ADDRESS_LENGTH (reference/funder.md §0.3). */

export const MAX_NET_ADDRESS_BYTES = 256;

export interface NetAddress {
  readonly host: string;
  readonly port: number;
}

const HOSTNAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;
const PORT = /^[1-9][0-9]{0,4}$/;

/** Returns the parts, or one sentence saying what is wrong (for an error message). */
export function parseNetAddress(text: string): { ok: true; value: NetAddress } | { ok: false; problem: string } {
  const bad = (why: string) => ({ ok: false as const, problem: `expected host:port (${why}), got ${JSON.stringify(text)}` });
  if (typeof text !== 'string') return { ok: false, problem: 'expected a host:port string' };
  if (text.length === 0) return bad('empty');
  if (new TextEncoder().encode(text).length > MAX_NET_ADDRESS_BYTES) {
    return { ok: false, problem: `expected host:port of at most ${MAX_NET_ADDRESS_BYTES} bytes` };
  }
  const colon = text.lastIndexOf(':');
  if (colon < 0) return bad('no port');
  let host = text.slice(0, colon);
  const portText = text.slice(colon + 1);
  if (!PORT.test(portText) || Number(portText) > 65535) return bad('port must be 1..65535');
  if (host.startsWith('[')) {
    if (!host.endsWith(']') || host.length < 3 || !IPV6.test(host.slice(1, -1)) || !host.includes(':')) {
      return bad('bad IPv6 host');
    }
    host = host.slice(1, -1);
  } else if (!HOSTNAME.test(host) || host.includes('..')) {
    return bad(host === '' ? 'empty host' : 'bad host name');
  }
  return { ok: true, value: { host, port: Number(portText) } };
}
