import type { BridgeError, CardView, Result } from '../../src-main/bridge.ts';
import { CardItem } from './CardItem.tsx';

export interface CardListProps {
  readonly cards: readonly CardView[];
  /** The alert setting: a card whose nearest debt reaches this percent of its limit says so. */
  readonly nearLimitPercent: number;
  readonly onRename: (cardId: string, name: string) => Promise<Result<CardView, BridgeError>>;
  readonly onRemove: (cardId: string) => Promise<Result<void, BridgeError>>;
  readonly onOpen: (cardId: string) => void;
}

export function CardList({ cards, nearLimitPercent, onRename, onRemove, onOpen }: CardListProps) {
  return (
    <ul className="card-list" aria-label="Cards">
      {cards.map((card) => (
        <CardItem key={card.id} card={card} nearLimitPercent={nearLimitPercent} onRename={onRename} onRemove={onRemove} onOpen={onOpen} />
      ))}
    </ul>
  );
}
