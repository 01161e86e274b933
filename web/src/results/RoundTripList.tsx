import { Fragment, useMemo, useState } from 'react';
import type { Trade } from '../api/types';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { formatUtc } from '../config/time';
import { SortableHeader } from './SortableHeader';
import { downloadText } from './csv';
import { roundTrips, tripTotals, tripsCsv, type RoundTrip } from './roundTrips';

type Column = 'n' | 'side' | 'entry' | 'exit' | 'size' | 'entryPrice' | 'exitPrice' | 'pnl' | 'return' | 'duration' | 'fees';

const COLUMNS: { id: Column; label: MessageKey; numeric: boolean; key: (t: RoundTrip) => number | string }[] = [
  { id: 'n', label: 'trips.n', numeric: true, key: (t) => t.n },
  { id: 'side', label: 'trips.side', numeric: false, key: (t) => t.side },
  { id: 'entry', label: 'trips.entry', numeric: false, key: (t) => t.entryTime },
  { id: 'exit', label: 'trips.exit', numeric: false, key: (t) => t.exitTime ?? Infinity },
  { id: 'size', label: 'trips.size', numeric: true, key: (t) => t.size },
  { id: 'entryPrice', label: 'trips.entryPrice', numeric: true, key: (t) => t.entryPrice },
  { id: 'exitPrice', label: 'trips.exitPrice', numeric: true, key: (t) => t.exitPrice ?? -Infinity },
  { id: 'pnl', label: 'trips.pnl', numeric: true, key: (t) => t.pnl ?? -Infinity },
  { id: 'return', label: 'trips.return', numeric: true, key: (t) => t.returnPct ?? -Infinity },
  { id: 'duration', label: 'trips.duration', numeric: true, key: (t) => t.durationMs ?? Infinity },
  { id: 'fees', label: 'trips.fees', numeric: true, key: (t) => t.fees },
];

/** Most trip rows drawn; the CSV has them all. */
export const MAX_TRIP_ROWS = 2000;

const fmt = (v: number | null, digits: number) => (v == null || !Number.isFinite(v) ? '—' : Number(v.toFixed(digits)).toString());
const tone = (v: number | null) => (v == null ? '' : v > 0 ? 'up' : v < 0 ? 'down' : '');

export function formatDuration(ms: number | null): string {
  if (ms == null) return '—';
  const h = ms / 3_600_000;
  if (h < 1) return `${Math.round(ms / 60_000)}m`;
  if (h < 48) return `${Number(h.toFixed(1))}h`;
  return `${Number((h / 24).toFixed(1))}d`;
}

/** The fills grouped into round trips with their P&L: sortable, each trip's fills on demand, CSV. */
export function RoundTripList({ fills, loading, fileName }: { fills: Trade[]; loading: { count: number; total: number } | null; fileName: string }) {
  const { t } = useI18n();
  const trips = useMemo(() => roundTrips(fills), [fills]);
  const totals = useMemo(() => tripTotals(trips), [trips]);
  const [sort, setSort] = useState<{ column: Column; dir: 'asc' | 'desc' }>({ column: 'n', dir: 'asc' });
  const [open, setOpen] = useState<number | null>(null);
  const rows = useMemo(() => {
    const col = COLUMNS.find((c) => c.id === sort.column)!;
    const sorted = trips.map((trip, i) => ({ trip, i, k: col.key(trip) }));
    sorted.sort((a, b) => {
      const c = a.k < b.k ? -1 : a.k > b.k ? 1 : 0;
      return (sort.dir === 'asc' ? c : -c) || a.i - b.i;
    });
    return sorted.map((r) => r.trip);
  }, [trips, sort]);
  const toggle = (column: Column) => setSort((s) => (s.column === column ? { column, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { column, dir: column === 'n' || column === 'entry' ? 'asc' : 'desc' }));

  return (
    <div className="trade-list trip-list">
      <div className="toolbar">
        <span data-testid="trip-summary" data-closed={totals.closed} data-net-pnl={totals.netPnl}>
          {t('trips.summary', { count: totals.closed, pnl: fmt(totals.netPnl, 2), wins: totals.wins })}
        </span>
        {trips.length > totals.closed && <span className="muted">{t('trips.openOne')}</span>}
        {loading && <span className="muted">{t('trades.loading', { count: loading.count, total: loading.total })}</span>}
        <button type="button" className="btn small" disabled={trips.length === 0} onClick={() => downloadText(`${fileName}.csv`, tripsCsv(rows))} data-testid="trips-csv">
          {t('trades.csv')}
        </button>
      </div>
      {trips.length === 0 ? (
        <p className="empty">{t('trips.none')}</p>
      ) : (
        <div className="table-scroll trips-scroll">
          <table data-testid="trip-table">
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <SortableHeader key={c.id} label={t(c.label)} numeric={c.numeric} dir={sort.column === c.id ? sort.dir : null} onSort={() => toggle(c.id)} />
                ))}
                <th>{t('trips.fills')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, MAX_TRIP_ROWS).map((trip) => (
                <Fragment key={trip.n}>
                  <tr data-trip={trip.n} data-pnl={trip.pnl ?? ''}>
                    <td className="num">{trip.n}</td>
                    <td className={trip.side === 'long' ? 'up' : 'down'}>{t(`trips.${trip.side}` as MessageKey)}</td>
                    <td>{formatUtc(trip.entryTime)}</td>
                    <td>{trip.exitTime == null ? t('trips.open') : formatUtc(trip.exitTime)}</td>
                    <td className="num">{fmt(trip.size, 8)}</td>
                    <td className="num">{fmt(trip.entryPrice, 8)}</td>
                    <td className="num">{fmt(trip.exitPrice, 8)}</td>
                    <td className={`num ${tone(trip.pnl)}`}>{fmt(trip.pnl, 2)}</td>
                    <td className={`num ${tone(trip.returnPct)}`}>{trip.returnPct == null ? '—' : `${(trip.returnPct * 100).toFixed(2)}%`}</td>
                    <td className="num">{formatDuration(trip.durationMs)}</td>
                    <td className="num">{fmt(trip.fees, 8)}</td>
                    <td>
                      <button type="button" className="btn small" aria-expanded={open === trip.n} onClick={() => setOpen((o) => (o === trip.n ? null : trip.n))} aria-label={t('trips.showFills', { n: trip.n })}>
                        {trip.fills.length} {open === trip.n ? '▴' : '▾'}
                      </button>
                    </td>
                  </tr>
                  {open === trip.n &&
                    trip.fills.map((f, j) => (
                      <tr key={`${trip.n}-${j}`} className="trip-fill">
                        <td />
                        <td className={f.trade.type === 'buy' ? 'up' : f.trade.type === 'sell' ? 'down' : 'liq'}>{f.trade.type}</td>
                        <td colSpan={2}>{formatUtc(Date.parse(f.trade.timestamp))}</td>
                        <td className="num">{fmt(f.amount, 8)}</td>
                        <td className="num">{fmt(f.trade.price, 8)}</td>
                        <td colSpan={4} className="muted">{f.trade.reason ?? ''}</td>
                        <td className="num">{fmt(f.fee, 8)}</td>
                        <td />
                      </tr>
                    ))}
                </Fragment>
              ))}
            </tbody>
          </table>
          {rows.length > MAX_TRIP_ROWS && <p className="muted">{t('trips.more', { shown: MAX_TRIP_ROWS, total: rows.length })}</p>}
        </div>
      )}
    </div>
  );
}
