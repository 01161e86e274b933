import { useMemo, useRef, useState, type UIEvent } from 'react';
import type { Trade } from '../api/types';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { formatUtc } from '../config/time';
import { SortableHeader } from './SortableHeader';
import { downloadText, tradesToCsv } from './csv';

type Column = 'time' | 'type' | 'reason' | 'price' | 'amount' | 'value' | 'fee' | 'slippage' | 'balance';

const COLUMNS: { id: Column; label: MessageKey; numeric: boolean }[] = [
  { id: 'time', label: 'trades.time', numeric: false },
  { id: 'type', label: 'trades.side', numeric: false },
  { id: 'reason', label: 'trades.reason', numeric: false },
  { id: 'price', label: 'trades.price', numeric: true },
  { id: 'amount', label: 'trades.amount', numeric: true },
  { id: 'value', label: 'trades.value', numeric: true },
  { id: 'fee', label: 'trades.fee', numeric: true },
  { id: 'slippage', label: 'trades.slippage', numeric: true },
  { id: 'balance', label: 'trades.balance', numeric: true },
];

const keyOf: Record<Column, (t: Trade) => number | string> = {
  time: (t) => Date.parse(t.timestamp),
  type: (t) => t.type,
  reason: (t) => t.reason ?? '',
  price: (t) => t.price,
  amount: (t) => t.amount,
  value: (t) => t.price * t.amount,
  fee: (t) => t.fee,
  slippage: (t) => t.slippage ?? 0,
  balance: (t) => t.balance,
};

const SIDE_LABEL: Record<Trade['type'], MessageKey> = { buy: 'chart.buy', sell: 'chart.sell', liquidation: 'chart.liquidation' };
const SIDE_CLASS: Record<Trade['type'], string> = { buy: 'up', sell: 'down', liquidation: 'liq' };

/** Sorts a copy by one column; ties keep their time order. */
export function sortTrades(trades: readonly Trade[], column: Column, dir: 'asc' | 'desc'): Trade[] {
  const key = keyOf[column];
  const rows = trades.map((t, i) => ({ t, i, k: key(t) }));
  rows.sort((a, b) => {
    const c = a.k < b.k ? -1 : a.k > b.k ? 1 : 0;
    return (dir === 'asc' ? c : -c) || a.i - b.i;
  });
  return rows.map((r) => r.t);
}

export const ROW_HEIGHT = 28;
const OVERSCAN = 12;

export interface TradeListProps {
  trades: Trade[];
  loading: { count: number; total: number } | null;
  /** Name of the downloaded file, without extension. */
  fileName: string;
  /** Height of the scrolling area in px (rows are drawn only where visible). */
  height?: number;
}

/** The fills of a run: sortable columns, drawn a screenful at a time (tens of thousands stay smooth), CSV download. */
export function TradeList({ trades, loading, fileName, height = 320 }: TradeListProps) {
  const { t } = useI18n();
  const [sort, setSort] = useState<{ column: Column; dir: 'asc' | 'desc' }>({ column: 'time', dir: 'asc' });
  const [scrollTop, setScrollTop] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const rows = useMemo(
    () => (sort.column === 'time' && sort.dir === 'asc' ? trades : sortTrades(trades, sort.column, sort.dir)),
    [trades, sort],
  );

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);

  const toggle = (column: Column) =>
    setSort((s) => (s.column === column ? { column, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { column, dir: column === 'time' ? 'asc' : 'desc' }));

  return (
    <div className="trade-list">
      <div className="toolbar">
        <span data-testid="trade-count" data-count={trades.length}>
          {t('trades.count', { count: trades.length.toLocaleString() })}
        </span>
        {loading && <span className="muted">{t('trades.loading', { count: loading.count, total: loading.total })}</span>}
        <button type="button" className="btn small" disabled={trades.length === 0} onClick={() => downloadText(`${fileName}.csv`, tradesToCsv(rows))}>
          {t('trades.csv')}
        </button>
      </div>
      {trades.length === 0 ? (
        <p className="empty">{t('trades.none')}</p>
      ) : (
        <div className="table-scroll" ref={scroller} style={{ height }} onScroll={(e: UIEvent<HTMLDivElement>) => setScrollTop(e.currentTarget.scrollTop)}>
          <table aria-rowcount={rows.length + 1} data-testid="trade-table">
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <SortableHeader key={c.id} label={t(c.label)} numeric={c.numeric} dir={sort.column === c.id ? sort.dir : null} onSort={() => toggle(c.id)} />
                ))}
              </tr>
            </thead>
            <tbody>
              {first > 0 && <tr style={{ height: first * ROW_HEIGHT }} aria-hidden="true" />}
              {rows.slice(first, last).map((tr, i) => (
                <tr key={first + i} aria-rowindex={first + i + 2} className={tr.type}>
                  <td>{formatUtc(Date.parse(tr.timestamp))}</td>
                  <td className={SIDE_CLASS[tr.type]}>{t(SIDE_LABEL[tr.type])}</td>
                  <td>{tr.reason ? t(`reason.${tr.reason}` as MessageKey) : '—'}</td>
                  <td className="num">{fmt(tr.price, 8)}</td>
                  <td className="num">{fmt(tr.amount, 8)}</td>
                  <td className="num">{fmt(tr.price * tr.amount, 2)}</td>
                  <td className="num">{fmt(tr.fee, 8)}</td>
                  <td className="num">{tr.slippage == null ? '—' : fmt(tr.slippage, 8)}</td>
                  <td className="num">{fmt(tr.balance, 2)}</td>
                </tr>
              ))}
              {last < rows.length && <tr style={{ height: (rows.length - last) * ROW_HEIGHT }} aria-hidden="true" />}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

const fmt = (v: number, digits: number) => (Number.isFinite(v) ? Number(v.toFixed(digits)).toString() : '—');
