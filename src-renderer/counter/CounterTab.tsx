import { useState } from 'react';
import type { CardTabProps } from '../components/card-tabs.ts';
import { CounterScreen } from './CounterScreen.tsx';

/** The card page's Counter tab: starts the full-screen counter mode (CounterScreen). */
export function CounterTab({ cardId, cardName, report }: CardTabProps) {
  const [on, setOn] = useState(false);
  return (
    <section className="panel" aria-labelledby="counter-mode">
      <h2 id="counter-mode">Counter mode</h2>
      <p className="lead">
        For a shop counter: type the amount, the customer scans the invoice's QR code and pays, then
        shows their commit QR code to this screen's camera; the payment is collected and a receipt is
        shown, printed or saved. Enter or N starts the next customer; Escape leaves.
      </p>
      <button type="button" onClick={() => setOn(true)}>Start counter mode</button>
      {on && <CounterScreen cardId={cardId} cardName={cardName} report={report} onLeave={() => setOn(false)} />}
    </section>
  );
}
