/** Settings of the open card: its relays and index servers (app requests through the card
 *  slice's session) and command line access (`cli.status` / `cli.enable` / `cli.disable` on the
 *  bridge), kept per card id. */
import type { StateCreator } from 'zustand/vanilla';
import type { Bridge, CliAccess, Result } from '../../src-main/bridge.ts';
import { parseCliAddress } from '../settings/cli-access.ts';
import { type ServerInput, type ServerKind, addServerRequest, removeServerRequest } from '../settings/server-input.ts';
import type { AppState } from './app-store.ts';
import type { CardResult } from './card-slice.ts';

export interface SettingsSlice {
  /** Command line access per card id, as the host last said (null: off; absent: not asked yet). */
  readonly cliAccess: ReadonlyMap<string, CliAccess | null>;
  /** Asks the host whether command line access is on (e.g. from an earlier run). */
  loadCliStatus(cardId: string): Promise<CardResult>;
  addServer(kind: ServerKind, input: ServerInput): Promise<CardResult>;
  removeServer(kind: ServerKind, publicKey: Uint8Array): Promise<CardResult>;
  enableCli(cardId: string, addressText: string): Promise<Result<CliAccess, string>>;
  disableCli(cardId: string): Promise<CardResult>;
}

export const createSettingsSlice = (bridge: Bridge): StateCreator<AppState, [], [], SettingsSlice> => (set, get) => {
  const remember = (cardId: string, access: CliAccess | null): void => {
    set((s) => ({ cliAccess: new Map(s.cliAccess).set(cardId, access) }));
  };
  return {
    cliAccess: new Map(),
    async addServer(kind, input) {
      const s = get().cardSession;
      if (s.kind !== 'open') return { ok: false, error: 'No card is open.' };
      const r = addServerRequest(kind, input, s.report);
      if (!r.ok) return r;
      return get().cardRequest(r.value);
    },
    removeServer: (kind, publicKey) => get().cardRequest(removeServerRequest(kind, publicKey)),
    async loadCliStatus(cardId) {
      const r = await bridge.call('cli.status', { cardId });
      if (!r.ok) return { ok: false, error: `Could not ask whether command line access is on: ${r.error.message}` };
      remember(cardId, r.value.access);
      return { ok: true, value: undefined };
    },
    async enableCli(cardId, addressText) {
      const a = parseCliAddress(addressText);
      if (!a.ok) return a;
      const r = await bridge.call('cli.enable', { cardId, address: a.value });
      if (!r.ok) return { ok: false, error: `Command line access could not be turned on: ${r.error.message}` };
      remember(cardId, r.value);
      return { ok: true, value: r.value };
    },
    async disableCli(cardId) {
      const r = await bridge.call('cli.disable', { cardId });
      if (!r.ok) return { ok: false, error: `Command line access could not be turned off: ${r.error.message}` };
      remember(cardId, null);
      return { ok: true, value: undefined };
    },
  };
};
