import { useEffect, useState } from 'react';
import type { Client } from '../api/client';
import type { FundingPayment, RestingOrder, Run } from '../api/types';
import { LIMITS } from '../app/limits';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { formatUtc } from '../config/time';
import { formatMetric } from './metrics';

/** Rows drawn at most; a run that placed more says how many are left out. */
export const MAX_ORDER_ROWS = 1000;

const num = (v: number | null, digits: number) => (v == null || !Number.isFinite(v) ? '—' : Number(v.toFixed(digits)).toString());

/** Every resting order of the run (contract §6) with its final status. */
export function OrderList({ orders }: { orders: readonly RestingOrder[] | undefined }) {
  const { t } = useI18n();
  if (!orders || orders.length === 0) return null;
  const shown = orders.slice(0, MAX_ORDER_ROWS);
  return (
    <section className="run-list order-list" data-testid="order-list">
      <h3>{t('orders.title', { count: orders.length.toLocaleString() })}</h3>
      <div className="table-scroll list-box">
        <table>
          <thead>
            <tr>
              {(['id', 'side', 'type', 'amount', 'price', 'stop', 'reduceOnly', 'tag', 'status'] as const).map((c) => (
                <th key={c}>{t(`orders.${c}` as MessageKey)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((o) => (
              <tr key={o.id} data-order-id={o.id} data-status={o.status}>
                <td className="num">{o.id}</td>
                <td className={o.side === 'buy' ? 'up' : 'down'}>{o.side === 'buy' ? t('chart.buy') : t('chart.sell')}</td>
                <td>{t(`orders.type.${o.type}` as MessageKey)}</td>
                <td className="num">{num(o.amount, 8)}</td>
                <td className="num">{num(o.price, 8)}</td>
                <td className="num">{num(o.stop, 8)}</td>
                <td>{o.reduceOnly ? '✓' : ''}</td>
                <td>{o.tag ?? ''}</td>
                <td className={`order-status ${o.status}`}>{t(`orders.status.${o.status}` as MessageKey)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {orders.length > shown.length && <p className="muted">{t('chart.more', { count: (orders.length - shown.length).toLocaleString() })}</p>}
    </section>
  );
}

/** The funding payments of a futures run, collapsed under a line with their count and total. */
export function FundingList({ funding, market }: { funding: readonly FundingPayment[] | undefined; market: unknown }) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(false);
  if (market !== 'futures' || !funding || funding.length === 0) return null;
  const total = funding.reduce((sum, f) => sum + f.amount, 0);
  return (
    <details className="run-list funding-list" data-testid="funding-list" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('funding.title', { count: funding.length.toLocaleString(), total: formatMetric('fundingPaid', total, lang) })}</summary>
      {/* drawn only when opened: a year of 8-hourly funding is a thousand rows */}
      {open && (
        <div className="table-scroll list-box">
          <table>
            <thead>
              <tr>
                {(['time', 'rate', 'price', 'position', 'amount'] as const).map((c) => (
                  <th key={c}>{t(`funding.${c}` as MessageKey)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {funding.map((f, i) => (
                <tr key={i}>
                  <td>{formatUtc(Date.parse(f.timestamp))}</td>
                  <td className="num">{num(f.rate * 100, 6)}%</td>
                  <td className="num">{num(f.price, 8)}</td>
                  <td className={`num ${f.position < 0 ? 'down' : 'up'}`}>{num(f.position, 8)}</td>
                  <td className={`num ${f.amount > 0 ? 'down' : 'up'}`}>{num(f.amount, 8)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}

type Lists = { orders: RestingOrder[]; funding: FundingPayment[] };

/**
 * The run's orders and funding under its trades. The server gives them only with the whole run (every trade
 * and an equity point per kline), so that is read once per run: by itself for runs of up to
 * `fullRunAutoMaxKlines` klines, on a click for longer ones.
 */
export function RunListsPanel({ client, run }: { client: Pick<Client, 'getBacktestFull'>; run: Run | null }) {
  const { t } = useI18n();
  const inResult = run?.result && (Array.isArray(run.result.orders) || Array.isArray(run.result.funding));
  const klines = run?.dataQuality?.klinesUsed;
  const big = typeof klines === 'number' && klines > LIMITS.fullRunAutoMaxKlines;
  const id = run?.result && !inResult ? run.id : null;
  const [loaded, setLoaded] = useState<{ id: string; lists: Lists | null; error: string | null } | null>(null);
  const [asked, setAsked] = useState<string | null>(null);

  useEffect(() => {
    if (!id || (big && asked !== id)) return;
    const abort = new AbortController();
    setLoaded({ id, lists: null, error: null });
    client
      .getBacktestFull(id, abort.signal)
      .then((full) => setLoaded({ id, lists: { orders: full.result?.orders ?? [], funding: full.result?.funding ?? [] }, error: null }))
      .catch((e) => abort.signal.aborted || setLoaded({ id, lists: null, error: e instanceof Error ? e.message : String(e) }));
    return () => abort.abort();
  }, [client, id, big, asked]);

  if (!run?.result) return null;
  const lists: Lists | null = inResult ? { orders: run.result.orders ?? [], funding: run.result.funding ?? [] } : loaded?.id === run.id ? loaded.lists : null;
  const state = loaded?.id === run.id ? loaded : null;
  return (
    <>
      {!lists && big && asked !== run.id && (
        <button type="button" className="btn small run-list" onClick={() => setAsked(run.id)} data-testid="load-run-lists">
          {t('orders.load', { count: klines.toLocaleString() })}
        </button>
      )}
      {!lists && state && !state.error && <p className="muted">{t('orders.loading')}</p>}
      {state?.error && <p className="field-error">{state.error}</p>}
      {lists && <OrderList orders={lists.orders} />}
      {lists && <FundingList funding={lists.funding} market={run.result.market} />}
    </>
  );
}
