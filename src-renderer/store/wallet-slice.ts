/** The wallet's lock as the host reports it, and the password actions. Passwords pass straight
 *  to the host; the store never keeps one. */
import type { StateCreator } from 'zustand/vanilla';
import type { Bridge, BridgeError, Result, WalletStatus } from '../../src-main/bridge.ts';
import type { AppState } from './app-store.ts';

export interface WalletSlice {
  /** undefined until the host answered. */
  readonly wallet: WalletStatus | undefined;
  readonly walletError: BridgeError | undefined;
  loadWallet(): Promise<Result<void, BridgeError>>;
  createPassword(password: string): Promise<Result<void, BridgeError>>;
  unlock(password: string): Promise<Result<void, BridgeError>>;
  lock(): Promise<Result<void, BridgeError>>;
  changePassword(oldPassword: string, newPassword: string): Promise<Result<void, BridgeError>>;
}

export const createWalletSlice = (bridge: Bridge): StateCreator<AppState, [], [], WalletSlice> => (set, get) => {
  bridge.onEvent('wallet.changed', (wallet) => set({ wallet }));
  // after any lock change, ask again rather than guess (the event may come first or not at all)
  const refresh = async <T>(r: Result<T, BridgeError>): Promise<Result<void, BridgeError>> => {
    if (!r.ok) return r;
    return get().loadWallet();
  };
  return {
    wallet: undefined,
    walletError: undefined,
    async loadWallet() {
      const r = await bridge.call('wallet.status', {});
      if (!r.ok) {
        set({ walletError: r.error });
        return r;
      }
      set({ wallet: r.value, walletError: undefined });
      return { ok: true, value: undefined };
    },
    createPassword: async (password) => refresh(await bridge.call('wallet.create', { password })),
    unlock: async (password) => refresh(await bridge.call('wallet.unlock', { password })),
    lock: async () => refresh(await bridge.call('wallet.lock', {})),
    changePassword: async (oldPassword, newPassword) => bridge.call('wallet.changePassword', { oldPassword, newPassword }),
  };
};
