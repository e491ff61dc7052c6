/** What a new card still lacks before anyone can pay it (issue 8: "first run guides a new user
 *  from nothing to a card that can be paid"), read from the node's report alone. Each step names
 *  the tab where it is done. */
import type { NodeReport } from '../../src-core/app/index.ts';

export type StepId = 'relay' | 'index' | 'friend' | 'friend-online' | 'credit';

export interface Step {
  readonly id: StepId;
  readonly done: boolean;
  /** What to do, for people. */
  readonly text: string;
  /** The card tab where it is done. */
  readonly tab: 'settings' | 'friends';
}

export function gettingStarted(report: NodeReport): readonly Step[] {
  const listening = (report.connectedRelays ?? []).length > 0;
  const friends = report.friends;
  const online = friends.some((f) => f.enabled && f.online);
  // Someone can pay us once a friend may owe us more than it does and we accept its requests.
  const room = friends.some((f) => f.enabled && f.currencies.some((c) => c.localRequestsOpen && c.remoteMaxDebt > c.balance + c.remotePendingDebt));
  return [
    {
      id: 'relay', done: listening, tab: 'settings',
      text: listening ? 'A relay is connected: friends can reach this card.'
        : report.relays.length === 0 ? 'Add a relay, so friends can reach this card.' : 'Wait for the relay to connect (check its address in Settings).',
    },
    {
      id: 'index', done: report.connectedIndexServer !== undefined, tab: 'settings',
      text: report.connectedIndexServer !== undefined ? 'An index server is connected: payments can find routes.'
        : report.indexServers.length === 0 ? 'Add an index server, so payments can find routes.' : 'Wait for the index server to connect (check its address in Settings).',
    },
    {
      id: 'friend', done: friends.length > 0, tab: 'friends',
      text: friends.length > 0 ? 'A friend is added.' : 'Add a friend from their friend file or QR code, and give them yours.',
    },
    {
      id: 'friend-online', done: online, tab: 'friends',
      text: online ? 'A friend is online.' : 'Enable a friend and wait until they are online (they must add this card too).',
    },
    { id: 'credit', done: room, tab: 'friends', text: 'Set how much a friend may owe you, and open requests for that currency.' },
  ];
}

/** True once nothing is left: the card can be paid. */
export function readyToBePaid(steps: readonly Step[]): boolean {
  return steps.every((s) => s.done);
}
