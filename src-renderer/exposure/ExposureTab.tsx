import { type NodeReport, percentOfLimit } from '../../src-core/app/index.ts';
import { AlertSettingsForm } from '../alerts/AlertSettingsForm.tsx';
import { CARD_DECIMALS } from '../card/friend-input.ts';
import { formatAmount } from '../format-amount.ts';
import { cardExposure, type CurrencyExposure, describeRate, type FriendExposure } from './exposure.ts';
import './exposure.css';

const amount = (v: bigint): string => formatAmount(v, CARD_DECIMALS, { group: ',' });

/** The card's credit exposure (issue 11 item 2): per currency the totals, then every friend's
 *  balance against both limits, pending credits, state and fee rate; the alert settings. */
export function ExposureTab({ report }: { readonly report: NodeReport }) {
  const currencies = cardExposure(report);
  return (
    <>
      {currencies.length === 0 ? (
        <section className="panel" aria-labelledby="exposure-empty">
          <h2 id="exposure-empty">Credit exposure</h2>
          <p className="empty"><strong>No credit yet</strong>Once a friend and you set limits in a currency, this page shows what you could lose and what you can still pay.</p>
        </section>
      ) : (
        currencies.map((c) => <CurrencyPanel key={c.currency} c={c} />)
      )}
      <section className="panel" aria-labelledby="alert-settings">
        <h2 id="alert-settings">Alerts</h2>
        <AlertSettingsForm />
      </section>
    </>
  );
}

function CurrencyPanel({ c }: { readonly c: CurrencyExposure }) {
  const hid = `exposure-${c.currency}`;
  return (
    <section className="panel" aria-labelledby={hid}>
      <h2 id={hid}>Credit exposure in {c.currency}</h2>
      <dl className="exposure-totals" role="group" aria-label={`Totals in ${c.currency}`}>
        <div className="exposure-total risk">
          <dt>At risk</dt>
          <dd>{amount(c.totalExposure)} {c.currency}</dd>
          <p className="card-meta">if every friend defaulted: {amount(c.owedToUs)} owed to you + {amount(c.frozenOut)} frozen in your pending payments</p>
        </div>
        <div className="exposure-total">
          <dt>Can pay</dt>
          <dd>{amount(c.capacityToPay)} {c.currency}</dd>
          <p className="card-meta">you owe {amount(c.owedByUs)} in all</p>
        </div>
        <div className="exposure-total">
          <dt>Can be paid</dt>
          <dd>{amount(c.capacityToReceive)} {c.currency}</dd>
          <p className="card-meta">{amount(c.frozenIn)} frozen in friends' pending payments</p>
        </div>
      </dl>
      <div className="exposure-scroll">
        <table className="exposure-table">
          <caption className="visually-hidden">Friends in {c.currency}</caption>
          <thead>
            <tr>
              <th scope="col">Friend</th>
              <th scope="col" className="num">Balance</th>
              <th scope="col">You owe / its limit</th>
              <th scope="col">It owes / your limit</th>
              <th scope="col" className="num">Pending out / in</th>
              <th scope="col" className="num">At risk</th>
              <th scope="col" className="num">Can pay / be paid</th>
            </tr>
          </thead>
          <tbody>
            {c.friends.map((f) => <FriendRow key={f.friendKey} f={f} />)}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function state(f: FriendExposure): string {
  const parts = [f.enabled ? (f.online ? 'online' : 'offline') : 'disabled'];
  if (f.inconsistent) parts.push('inconsistent');
  if (!f.remoteRequestsOpen) parts.push('its requests closed');
  return parts.join(' · ');
}

function Usage({ debt, limit }: { readonly debt: bigint; readonly limit: bigint }) {
  const owed = debt > 0n ? debt : 0n;
  const p = percentOfLimit(owed, limit);
  return (
    <div className="usage">
      <span className="num">{amount(owed)} / {amount(limit)}</span>
      <span className={`usage-bar${p >= 90 ? ' high' : ''}`} aria-hidden="true"><span style={{ width: `${Math.min(p, 100)}%` }} /></span>
      <span className="card-meta">{p} %</span>
    </div>
  );
}

function FriendRow({ f }: { readonly f: FriendExposure }) {
  return (
    <tr aria-label={`${f.name} in ${f.currency}`}>
      <th scope="row">
        <div className="card-name">{f.name}</div>
        <div className={`card-meta${f.inconsistent ? ' warn' : ''}`}>{state(f)}</div>
        <div className="card-meta">fee {describeRate(f.rate)}</div>
      </th>
      <td className="num">{amount(f.balance)}</td>
      <td><Usage debt={-f.balance} limit={f.localMaxDebt} /></td>
      <td><Usage debt={f.balance} limit={f.remoteMaxDebt} /></td>
      <td className="num">{amount(f.localPendingDebt)} / {amount(f.remotePendingDebt)}</td>
      <td className="num">{amount(f.atRisk)}</td>
      <td className="num">{amount(f.canPay)} / {amount(f.canReceive)}</td>
    </tr>
  );
}
