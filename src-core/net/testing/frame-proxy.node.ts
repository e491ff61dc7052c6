/** A man in the middle for tests and demos: a TCP proxy that parses frames each way and lets a
 *  hook drop, duplicate, reorder or alter them. The prologue passes through unchanged. */
import * as net from 'node:net';
import { FrameDecoder, MAX_FRAME_LENGTH, PROLOGUE_LEN, frameHeader } from '../frame.ts';
import { parseHostPort } from '../tcp.node.ts';

export type Direction = 'to-server' | 'to-client';
/** Returns the frames to forward in place of `frame` (index counts frames per direction). */
export type FrameHook = (dir: Direction, index: number, frame: Uint8Array) => readonly Uint8Array[];

export interface FrameProxy { readonly address: string; close(): Promise<void> }

export function startFrameProxy(target: string, hook: FrameHook): Promise<FrameProxy> {
  const { host, port } = parseHostPort(target);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect({ host, port });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    pipe(client, upstream, 'to-server', hook);
    pipe(upstream, client, 'to-client', hook);
  });
  return new Promise((resolve) => {
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const a = server.address() as net.AddressInfo;
      resolve({
        address: `127.0.0.1:${a.port}`,
        close: () => new Promise<void>((done) => { for (const s of sockets) s.destroy(); server.close(() => done()); }),
      });
    });
  });
}

function pipe(from: net.Socket, to: net.Socket, dir: Direction, hook: FrameHook): void {
  const decoder = new FrameDecoder(MAX_FRAME_LENGTH, 0, false);
  let prologueLeft = PROLOGUE_LEN;
  let index = 0;
  from.on('data', (chunk: Buffer) => {
    let data = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    if (prologueLeft > 0) {
      const k = Math.min(prologueLeft, data.length);
      to.write(data.subarray(0, k));
      prologueLeft -= k;
      data = data.subarray(k);
    }
    const { frames } = decoder.push(data);
    for (const f of frames) {
      for (const out of hook(dir, index, f)) { to.write(frameHeader(out.length)); to.write(out); }
      index++;
    }
  });
  from.on('end', () => to.end());
  from.on('close', () => to.destroy());
}
