/** The window's one store, built from slices that take the bridge as a parameter (STYLE §11). */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Bridge } from '../../src-main/bridge.ts';
import { type AlertsDeps, createAlertsSlice, type AlertsSlice } from '../alerts/alerts-slice.ts';
import { createSafetySlice, type SafetySlice } from '../safety/safety-slice.ts';
import { createPairingSlice, type PairingSlice } from '../pairing/pairing-slice.ts';
import { createLinksSlice, type LinksSlice } from '../links/links-slice.ts';
import { createFeeCapsSlice, type FeeCapsSlice } from '../fee-cap/fee-caps-slice.ts';
import { createCardSlice, type CardSlice } from './card-slice.ts';
import { createCardsSlice, type CardsSlice } from './cards-slice.ts';
import { createFriendSlice, type FriendSlice } from './friend-slice.ts';
import { createHistorySlice, type HistorySlice } from './history-slice.ts';
import { createSettingsSlice, type SettingsSlice } from './settings-slice.ts';
import { createInvoiceSlice, type InvoiceSlice } from './invoice-slice.ts';
import { createPaySlice, type PaySlice } from './pay-slice.ts';
import { createUiSlice, type Theme, type UiSlice } from './ui-slice.ts';
import { createWalletSlice, type WalletSlice } from './wallet-slice.ts';

export type AppState = CardsSlice & CardSlice & WalletSlice & UiSlice & FriendSlice & SettingsSlice & HistorySlice & InvoiceSlice & PaySlice & AlertsSlice & SafetySlice & PairingSlice & LinksSlice & FeeCapsSlice;
export type AppStore = StoreApi<AppState>;

export function createAppStore(bridge: Bridge, opts: { readonly theme?: Theme; readonly alerts?: AlertsDeps } = {}): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createCardsSlice(bridge)(...a),
    ...createCardSlice(bridge)(...a),
    ...createWalletSlice(bridge)(...a),
    ...createUiSlice(opts.theme ?? 'system')(...a),
    ...createAlertsSlice(opts.alerts)(...a),
    ...createSafetySlice(bridge)(...a),
    ...createFriendSlice()(...a),
    ...createSettingsSlice(bridge)(...a),
    ...createHistorySlice()(...a),
    ...createInvoiceSlice(undefined, bridge)(...a),
    ...createPaySlice()(...a),
    ...createPairingSlice(bridge)(...a),
    ...createLinksSlice(bridge)(...a),
    ...createFeeCapsSlice(bridge)(...a),
  }));
}
