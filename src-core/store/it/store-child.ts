/** A separate process driving a node store, for the multi-process tests beside it.
 *    hold <path> <keyHex>    open, print "open", close when stdin says "close"
 *    stream <path> <keyHex>  append numbered events forever (8 in flight, checkpoints when due),
 *                            printing "ack <n>" once event n's append has resolved
 *  Errors print "error <code> <message>" and exit 1. */
import { createInterface } from 'node:readline';
import { isStoreError, openNodeStore } from '../index.node.ts';
import { eventRecord, eventRow } from './stream-events.ts';

const [mode, path, keyHex] = process.argv.slice(2);
if (mode === undefined || path === undefined || keyHex === undefined) throw new Error('usage: store-child.ts hold|stream <path> <keyHex>');
const publicKey = Uint8Array.from(Buffer.from(keyHex, 'hex'));
const say = (line: string): void => { process.stdout.write(`${line}\n`); };

try {
  const store = await openNodeStore(path, {
    publicKey,
    checkpoint: { minJournalBytes: 16 * 1024, journalToDbRatio: 0, autoFoldFactor: 1000 },
  });
  if (mode === 'hold') {
    say(`open ${process.pid}`);
    for await (const line of createInterface({ input: process.stdin })) {
      if (line === 'close') break;
    }
    process.stdin.destroy();
    await store.close();
    say('closed');
  } else {
    say(`open ${process.pid}`);
    const inFlight = new Set<Promise<void>>();
    for (let n = 0; ; n++) {
      if (store.checkpointDue) {
        await Promise.all(inFlight);
        const count = new Uint8Array(4);
        new DataView(count.buffer).setUint32(0, n);
        await store.checkpoint(new Map([['count', count]]));
      }
      const p = store.append([eventRecord(n)], n % 4 === 0 ? [eventRow(n)] : []).then(() => {
        inFlight.delete(p);
        say(`ack ${n}`);
      });
      inFlight.add(p);
      if (inFlight.size >= 8) await Promise.race(inFlight);
    }
  }
} catch (e) {
  say(`error ${isStoreError(e) ? e.code : 'other'} ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
