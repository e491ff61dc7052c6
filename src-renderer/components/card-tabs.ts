/** The card page's tabs, in order. Each part of the wallet appends its own entry here (one line
 *  in CARD_TABS); CardScreen renders the list as an ARIA tab list and the chosen tab's panel. */
import type { ComponentType } from 'react';
import type { NodeReport } from '../../src-core/app/index.ts';
import { GetPaidTab } from '../invoice/GetPaidTab.tsx';
import { PayTab } from '../pay/PayTab.tsx';
import { ExposureTab } from '../exposure/ExposureTab.tsx';
import { FriendsTab } from './FriendsTab.tsx';
import { HistoryTab } from '../history/HistoryTab.tsx';
import { SettingsTab } from '../settings/SettingsTab.tsx';
import { StatementTab } from '../statement/StatementTab.tsx';
import { CounterTab } from '../counter/CounterTab.tsx';

/** What every tab's panel gets: the open card. */
export interface CardTabProps {
  readonly cardId: string;
  readonly cardName: string;
  readonly report: NodeReport;
}

export interface CardTab {
  /** Stable id (DOM ids, the selected tab); lowercase, no spaces. */
  readonly id: string;
  /** What the tab button says. */
  readonly label: string;
  readonly Panel: ComponentType<CardTabProps>;
}

export const CARD_TABS: readonly CardTab[] = [
  { id: 'friends', label: 'Friends', Panel: FriendsTab },
  { id: 'get-paid', label: 'Get paid', Panel: GetPaidTab },
  { id: 'pay', label: 'Pay', Panel: PayTab },
  { id: 'history', label: 'History', Panel: HistoryTab },
  { id: 'statement', label: 'Statement', Panel: StatementTab },
  { id: 'settings', label: 'Settings', Panel: SettingsTab },
  { id: 'exposure', label: 'Exposure', Panel: ExposureTab },
  { id: 'counter', label: 'Counter', Panel: CounterTab },
];
