import { useId, useState, type FormEvent } from 'react';
import { MAX_CARD_NAME_CHARS, type BridgeError, type CardView, type Result } from '../../src-main/bridge.ts';

export interface CreateCardFormProps {
  readonly onCreate: (name: string) => Promise<Result<CardView, BridgeError>>;
}

type Outcome = { readonly kind: 'none' } | { readonly kind: 'created'; readonly name: string } | { readonly kind: 'failed'; readonly message: string };

export function CreateCardForm({ onCreate }: CreateCardFormProps) {
  const id = useId();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'none' });

  async function submit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    if (name.trim() === '') {
      setOutcome({ kind: 'failed', message: 'Give the card a name, for example “Everyday”.' });
      return;
    }
    setBusy(true);
    const submitted = name;
    const r = await onCreate(submitted);
    setBusy(false);
    if (r.ok) {
      setOutcome({ kind: 'created', name: r.value.name });
      // the list may show the card before the host's reply arrives; a name typed since is the next card's
      setName((current) => (current === submitted ? '' : current));
    } else {
      setOutcome({ kind: 'failed', message: `The card was not created: ${r.error.message}` });
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} aria-describedby={`${id}-msg`} noValidate>
      <div className="row">
        <div className="field">
          <label htmlFor={`${id}-name`}>Card name</label>
          <input
            id={`${id}-name`}
            name="name"
            value={name}
            maxLength={MAX_CARD_NAME_CHARS}
            autoComplete="off"
            aria-invalid={outcome.kind === 'failed'}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <button type="submit" disabled={busy} aria-busy={busy}>
          {busy ? 'Creating…' : 'Create card'}
        </button>
      </div>
      <div id={`${id}-msg`}>
        {outcome.kind === 'failed' && <p role="alert" className="message error">{outcome.message}</p>}
        {outcome.kind === 'created' && <p role="status" className="message ok">Card “{outcome.name}” created.</p>}
      </div>
    </form>
  );
}
