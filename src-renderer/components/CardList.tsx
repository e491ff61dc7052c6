import type { CardView } from '../../src-main/bridge.ts';
import { formatAmount } from '../format-amount.ts';

export interface CardListProps {
  readonly cards: readonly CardView[];
}

export function CardList({ cards }: CardListProps) {
  return (
    <ul className="card-list" aria-label="Cards">
      {cards.map((card) => (
        <li key={card.id} className="card-item">
          <div>
            <div className="card-name">{card.name}</div>
            <div className="card-meta">
              {card.kind === 'local' ? 'On this computer' : 'Remote node'} · {card.online ? 'online' : 'offline'}
            </div>
          </div>
          <div className="balance" aria-label={`Balances of ${card.name}`}>
            {card.balances.length === 0
              ? 'No balances'
              : card.balances.map((b) => `${formatAmount(b.balance, 0, { group: ',' })} ${b.currency}`).join(' · ')}
          </div>
        </li>
      ))}
    </ul>
  );
}
