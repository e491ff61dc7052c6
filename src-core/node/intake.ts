/** Backpressure on friends' messages (docs/node.md "Friend messages"). Each friend has at most
 *  `max` messages in the node, from the channeler handing one over until its job has settled
 *  (its records durable, its outputs gone). While a friend is at `max`, the promise handed back to
 *  the channeler stays pending, so the channeler stops reading that friend's channel: its inbox
 *  fills, the transport pauses, and TCP slows the friend down through the relay. Nothing is
 *  dropped, and a friend that floods only waits for its own messages. */

export interface FriendMessageStats {
  /** Messages from the friend whose jobs have settled (processed, or failed with a log line). */
  readonly processed: number;
  /** Messages from the friend in the node now (queued in the loop or waiting to be durable). */
  readonly inNode: number;
  /** The most `inNode` has been (never above the bound). */
  readonly peakInNode: number;
}

export interface Admitted {
  /** Call once the message's job has settled: frees its place. Idempotent. */
  readonly release: () => void;
  /** Pending while the friend has no room for another message; undefined when it has room. */
  readonly room: Promise<void> | undefined;
}

export interface FriendIntake {
  /** Counts one message from `friend` (a hex key) in. */
  admit(friend: string): Admitted;
  stats(friend: string): FriendMessageStats;
  /** Forgets a removed friend's counters (messages still in the node release as usual). */
  forget(friend: string): void;
  /** Lets every held-back channel read on (the node is closing). */
  releaseAll(): void;
}

interface Counters {
  processed: number;
  inNode: number;
  peakInNode: number;
  waiters: (() => void)[];
}

const NONE: FriendMessageStats = { processed: 0, inNode: 0, peakInNode: 0 };

export function createFriendIntake(max: number): FriendIntake {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`max: expected a positive integer, got ${max}`);
  const friends = new Map<string, Counters>();

  const wake = (c: Counters): void => {
    const ws = c.waiters;
    c.waiters = [];
    for (const w of ws) w();
  };

  return {
    admit(friend) {
      let c = friends.get(friend);
      if (c === undefined) {
        c = { processed: 0, inNode: 0, peakInNode: 0, waiters: [] };
        friends.set(friend, c);
      }
      const counters = c;
      counters.inNode++;
      if (counters.inNode > counters.peakInNode) counters.peakInNode = counters.inNode;
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        counters.inNode--;
        counters.processed++;
        if (counters.inNode < max) wake(counters);
      };
      const room = counters.inNode < max ? undefined : new Promise<void>((resolve) => { counters.waiters.push(resolve); });
      return { release, room };
    },
    stats(friend) {
      const c = friends.get(friend);
      return c === undefined ? NONE : { processed: c.processed, inNode: c.inNode, peakInNode: c.peakInNode };
    },
    forget(friend) {
      const c = friends.get(friend);
      if (c === undefined) return;
      friends.delete(friend);
      wake(c);
    },
    releaseAll() {
      for (const c of friends.values()) wake(c);
    },
  };
}
