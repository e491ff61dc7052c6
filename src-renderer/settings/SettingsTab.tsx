import type { NodeReport } from '../../src-core/app/index.ts';
import './settings.css';
import { ExportBackup } from '../components/cards/ExportBackup.tsx';
import { TrustTicketForm } from '../components/cards/TrustTicketForm.tsx';
import { CliSection } from './CliSection.tsx';
import { PairingSection } from '../pairing/PairingSection.tsx';
import { ServerSection } from './ServerSection.tsx';
import { FeeCapSection } from '../fee-cap/FeeCapSection.tsx';

/** What the card page's Settings tab gets (the tab list's CardTabProps). */
export interface SettingsTabProps {
  readonly cardId: string;
  readonly cardName: string;
  readonly report: NodeReport;
}

/** A card's settings: relays, index servers, command line access. Other parts add sections
 *  below (backup: the card list's ExportBackup; scoped pairing). */
export function SettingsTab({ cardId, cardName, report }: SettingsTabProps) {
  return (
    <>
      <ServerSection kind="relay" report={report} />
      <ServerSection kind="index" report={report} />
      <CliSection cardId={cardId} />
      <PairingSection cardId={cardId} cardName={cardName} />
      <TrustTicketForm cardId={cardId} />
      <FeeCapSection cardId={cardId} report={report} />
      <section className="panel" aria-labelledby="settings-backup">
        <h2 id="settings-backup">Backup</h2>
        <ExportBackup cardId={cardId} />
      </section>
    </>
  );
}
