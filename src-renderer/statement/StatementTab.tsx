import { useId, useMemo, useState } from 'react';
import './statement.css';
import { type NodeReport, findFriend } from '../../src-core/app/index.ts';
import { fromBase64Url, toBase64Url } from '../../src-core/codec/index.ts';
import { nobleBackend } from '../../src-core/crypto/index.ts';
import {
  type Statement, type StatementCheck, exportStatement, formatStatement, parseStatement, verifyStatement,
} from '../../src-core/statement/index.ts';
import { openTextFile, saveFile } from '../files/file-port.ts';
import { formatMoney } from '../format-amount.ts';
import { useAppStore } from '../useAppStore.ts';
import { defaultPeriod, isoDay, lineVerdict, parsePeriod, statementFileName, statementVerdict } from './statement-model.ts';

export interface StatementTabProps {
  readonly cardId: string;
  readonly cardName: string;
  readonly report: NodeReport;
}

type Made =
  | { readonly kind: 'none' }
  | { readonly kind: 'working' }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'made'; readonly statement: Statement; readonly check: StatementCheck; readonly unbacked: number; readonly friendName: string }
  | { readonly kind: 'checked'; readonly name: string; readonly statement: Statement; readonly check: StatementCheck };

/** Verifiable statements (docs/wallet.md "Statement"): per friend, currency and period, the
 *  card's settled payments and invoices, each checked here against its signed artifact, and the
 *  file to give an accountant, who checks it with `stverify statement`. */
export function StatementTab({ cardName, report }: StatementTabProps) {
  const id = useId();
  const cardClient = useAppStore((s) => s.cardClient);
  const friends = report.friends;
  const [friendKey, setFriendKey] = useState<string>(friends[0] === undefined ? '' : toBase64Url(friends[0].publicKey));
  const friend = friends.find((f) => toBase64Url(f.publicKey) === friendKey) ?? friends[0];
  const currencies = useMemo(() => friend?.currencies.map((c) => c.currency) ?? [], [friend]);
  const [currencyChoice, setCurrency] = useState<string>('');
  const currency = currencies.includes(currencyChoice) ? currencyChoice : (currencies[0] ?? '');
  const [period, setPeriod] = useState(() => defaultPeriod(Date.now()));
  const [made, setMade] = useState<Made>({ kind: 'none' });

  async function make(): Promise<void> {
    const client = cardClient();
    if (friend === undefined || client === undefined) return;
    const p = parsePeriod(period.from, period.to);
    if (!p.ok) { setMade({ kind: 'failed', message: p.error }); return; }
    setMade({ kind: 'working' });
    try {
      const { statement, unbacked } = await exportStatement(client, {
        friend: friend.publicKey, currency, from: p.value.from, to: p.value.to, now: Date.now(),
      });
      setMade({ kind: 'made', statement, check: verifyStatement(nobleBackend, statement), unbacked: unbacked.length, friendName: friend.name });
    } catch (e) {
      setMade({ kind: 'failed', message: `The card did not give its history: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  async function checkFile(): Promise<void> {
    const r = await openTextFile(document, ['.statement', '.json']);
    if (!r.ok) { setMade({ kind: 'failed', message: r.error.kind === 'too-large' ? 'The file is too large for a statement.' : 'The file is not text.' }); return; }
    if (r.value === undefined) return;
    const s = parseStatement(r.value.text);
    if (!s.ok) { setMade({ kind: 'failed', message: `${r.value.name} is not a statement file we can read: ${s.error}` }); return; }
    setMade({ kind: 'checked', name: r.value.name, statement: s.value, check: verifyStatement(nobleBackend, s.value) });
  }

  const nameOf = (key: string): string => {
    const k = fromBase64Url(key);
    const f = k === undefined ? undefined : findFriend(report, k);
    if (f !== undefined) return f.name;
    return key === toBase64Url(report.localPublicKey) ? cardName : `${key.slice(0, 8)}…`;
  };

  return (
    <section className="panel statement" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Statement</h2>
      <p className="lead">
        A statement lists this card's settled payments and invoices that went through one friend, in one currency, for a period. Every line
        carries the signed receipt or commit behind it, and the friend's signed balance comes along: anyone can check the file
        offline with <code>stverify statement FILE</code>.
      </p>
      {friends.length === 0 ? (
        <p className="empty"><strong>No friends yet</strong>A statement is made for one friend: add a friend first.</p>
      ) : (
        <form className="row card-form" onSubmit={(e) => { e.preventDefault(); void make(); }}>
          <div className="field">
            <label htmlFor={`${id}-friend`}>Friend</label>
            <select id={`${id}-friend`} value={friendKey} onChange={(e) => setFriendKey(e.target.value)}>
              {friends.map((f) => <option key={toBase64Url(f.publicKey)} value={toBase64Url(f.publicKey)}>{f.name}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-cur`}>Currency</label>
            <select id={`${id}-cur`} value={currency} onChange={(e) => setCurrency(e.target.value)}>
              {currencies.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-from`}>From (UTC)</label>
            <input id={`${id}-from`} type="date" value={period.from} onChange={(e) => setPeriod((p) => ({ ...p, from: e.target.value }))} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-to`}>To (UTC, inclusive)</label>
            <input id={`${id}-to`} type="date" value={period.to} onChange={(e) => setPeriod((p) => ({ ...p, to: e.target.value }))} />
          </div>
          <button type="submit" disabled={made.kind === 'working' || currency === ''}>Make statement</button>
        </form>
      )}
      <div className="card-actions">
        <button type="button" className="secondary" onClick={() => void checkFile()}>Check a statement file…</button>
      </div>
      {made.kind === 'working' && <p role="status">Reading the card's history…</p>}
      {made.kind === 'failed' && <p role="alert" className="message error">{made.message}</p>}
      {made.kind === 'made' && (
        <StatementView
          title={`${made.friendName} · ${made.statement.currency} · ${isoDay(made.statement.from)} to ${isoDay(made.statement.to - 86_400_000)}`}
          statement={made.statement} check={made.check} nameOf={nameOf}
          current={friend === undefined ? undefined : findFriend(report, friend.publicKey)?.currencies.find((c) => c.currency === made.statement.currency)?.balance}
        >
          {made.unbacked > 0 && (
            <p className="card-meta">{made.unbacked} older {made.unbacked === 1 ? 'entry has' : 'entries have'} no signed artifact in the history and {made.unbacked === 1 ? 'is' : 'are'} left out.</p>
          )}
          <button type="button" onClick={() => saveFile(document,
            statementFileName(cardName, made.friendName, made.statement.currency, made.statement.from, made.statement.to),
            new Blob([formatStatement(made.statement)], { type: 'application/json' }))}
          >
            Save statement file
          </button>
        </StatementView>
      )}
      {made.kind === 'checked' && (
        <StatementView title={`File ${made.name}`} statement={made.statement} check={made.check} nameOf={nameOf} />
      )}
    </section>
  );
}

function StatementView({ title, statement, check, nameOf, current, children }: {
  readonly title: string; readonly statement: Statement; readonly check: StatementCheck; readonly nameOf: (key: string) => string;
  /** The balance in the card's report now, to say when the friend's last signature lags it. */
  readonly current?: bigint | undefined;
  readonly children?: React.ReactNode;
}) {
  return (
    <div className="statement-view" role="region" aria-label="Statement lines">
      <h3>{title}</h3>
      <p role="status" className={check.ok ? 'message ok' : 'message error'}>{statementVerdict(check)}</p>
      {check.lines.length === 0 ? (
        <p className="empty"><strong>No settled payments or invoices</strong>Nothing was paid in this currency in this period.</p>
      ) : (
        <div className="table-wrap">
          <table className="statement-table" aria-label="Statement">
            <thead>
              <tr><th scope="col">#</th><th scope="col">Time (UTC)</th><th scope="col">Kind</th><th scope="col">Counterpart</th><th scope="col">Amount</th><th scope="col">Check</th></tr>
            </thead>
            <tbody>
              {check.lines.map((l) => (
                <tr key={l.line} className={l.ok ? 'verified' : 'failed'}>
                  <td>{l.line}</td>
                  <td>{l.parsed === undefined ? '—' : new Date(l.parsed.time).toISOString().replace(/\.\d{3}Z$/, 'Z')}</td>
                  <td>{l.parsed?.kind ?? '—'}</td>
                  <td>{l.parsed === undefined || l.parsed.counterpart === '' ? '—' : nameOf(l.parsed.counterpart)}</td>
                  <td className="amount">{l.parsed === undefined ? l.text : formatMoney(l.parsed.amount, l.parsed.currency)}</td>
                  <td className="verdict" title={l.reason}>{lineVerdict(l)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {check.balance !== undefined && (
        <p className={check.balance.ok ? 'balance verified' : 'balance failed'}>
          Balance {statement.signedBalance === undefined ? '—' : formatMoney(statement.signedBalance, statement.currency)} as {nameOf(statement.friend)} last signed it: {check.balance.ok ? 'verified' : `FAILED: ${check.balance.reason}`}
        </p>
      )}
      {current !== undefined && statement.signedBalance !== undefined && current !== statement.signedBalance && (
        <p className="card-meta">
          The balance is {formatMoney(current, statement.currency)} now: {nameOf(statement.friend)} signs the later changes with its next move.
        </p>
      )}
      {check.balance === undefined && <p className="card-meta">{nameOf(statement.friend)} has not signed a balance with this card yet.</p>}
      {check.problems.map((p) => <p key={p} className="message error">{p}</p>)}
      {children}
    </div>
  );
}
