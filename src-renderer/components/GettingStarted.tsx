import type { NodeReport } from '../../src-core/app/index.ts';
import { gettingStarted, readyToBePaid } from '../card/getting-started.ts';

export interface GettingStartedProps {
  readonly report: NodeReport;
  /** Opens the card tab where a step is done. */
  readonly onGo: (tab: string) => void;
}

/** Shown on a card's page until the card can be paid: the steps left, each with a way there. */
export function GettingStarted({ report, onGo }: GettingStartedProps) {
  const steps = gettingStarted(report);
  if (readyToBePaid(steps)) return null;
  return (
    <section className="panel getting-started" aria-labelledby="getting-started">
      <h2 id="getting-started">Before this card can be paid</h2>
      <ol>
        {steps.map((s) => (
          <li key={s.id} className={s.done ? 'done' : undefined}>
            {s.done ? <span aria-label="done">✓ </span> : null}
            {s.text}
            {!s.done && (
              <> <button type="button" className="link" onClick={() => onGo(s.tab)}>{s.tab === 'settings' ? 'Open Settings' : 'Open Friends'}</button></>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
