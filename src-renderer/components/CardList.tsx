import type { BridgeError, CardView, Result } from '../../src-main/bridge.ts';
import { CardItem } from './CardItem.tsx';

export interface CardListProps {
  readonly cards: readonly CardView[];
  readonly onRename: (cardId: string, name: string) => Promise<Result<CardView, BridgeError>>;
  readonly onRemove: (cardId: string) => Promise<Result<void, BridgeError>>;
  readonly onOpen: (cardId: string) => void;
}

export function CardList({ cards, onRename, onRemove, onOpen }: CardListProps) {
  return (
    <ul className="card-list" aria-label="Cards">
      {cards.map((card) => (
        <CardItem key={card.id} card={card} onRename={onRename} onRemove={onRemove} onOpen={onOpen} />
      ))}
    </ul>
  );
}
