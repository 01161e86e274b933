import { useEffect, useMemo, useRef } from 'react';
import { AreaSeries, LineSeries, LineStyle, createChart, type IChartApi, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import type { EquitySeries } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { floorIndex } from './thin';
import type { ChartSync } from './sync';
import { COLORS, baseChartOptions, toSeconds } from './theme';

export interface EquityChartProps {
  equity: EquitySeries | null;
  /** The candle chart's visible range and crosshair: this chart follows them. */
  sync: ChartSync;
  /** A click: the candle chart should move to this time (ms). */
  onJump?(timeMs: number): void;
  /** Fit the whole run into view when `seq` changes (a big run's candles cover only part of it). */
  fitSeq: number;
}

/** Points with strictly increasing times in seconds (the chart refuses anything else). */
export function equityPoints(eq: EquitySeries): { times: number[]; equity: number[]; drawdown: number[]; buyHold: number[] } {
  const times: number[] = [];
  const equity: number[] = [];
  const drawdown: number[] = [];
  const buyHold: number[] = [];
  const n = Math.min(eq.timestamp.length, eq.equity.length);
  for (let i = 0; i < n; i++) {
    const s = toSeconds(eq.timestamp[i]);
    if (times.length && s <= times[times.length - 1]) continue;
    times.push(s);
    equity.push(eq.equity[i]);
    drawdown.push(-(eq.drawdown?.[i] ?? 0) * 100);
    if (eq.buyHold && eq.buyHold.length === eq.timestamp.length) buyHold.push(eq.buyHold[i]);
  }
  return { times, equity, drawdown, buyHold };
}

/**
 * Equity with buy & hold beside it (top pane: the initial balance held in the base asset, a dashed line) and
 * drawdown in % (bottom pane), following the candle chart's time range.
 */
export function EquityChart({ equity, sync, onJump, fitSeq }: EquityChartProps) {
  const { t } = useI18n();
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const eqSeries = useRef<ISeriesApi<'Area'> | null>(null);
  const ddSeries = useRef<ISeriesApi<'Area'> | null>(null);
  const holdSeries = useRef<ISeriesApi<'Line'> | null>(null);
  const jump = useRef(onJump);
  jump.current = onJump;
  const points = useMemo(() => (equity ? equityPoints(equity) : null), [equity]);

  useEffect(() => {
    const c = createChart(host.current!, { ...baseChartOptions(), handleScroll: false, handleScale: false });
    eqSeries.current = c.addSeries(AreaSeries, {
      lineColor: COLORS.equity,
      topColor: '#f0b90b44',
      bottomColor: '#f0b90b05',
      lineWidth: 2,
      priceFormat: { type: 'price', precision: 2, minMove: 0.01 },
      title: t('chart.equityPane'),
    });
    ddSeries.current = c.addSeries(
      AreaSeries,
      {
        lineColor: COLORS.down,
        topColor: '#f6465d10',
        bottomColor: '#f6465d55',
        invertFilledArea: false,
        lineWidth: 1,
        priceFormat: { type: 'custom', formatter: (v: number) => `${v.toFixed(2)}%` },
        title: t('chart.drawdownPane'),
      },
      1,
    );
    holdSeries.current = c.addSeries(LineSeries, {
      color: COLORS.buyHold,
      lineWidth: 1,
      lineStyle: LineStyle.Dashed,
      priceFormat: { type: 'price', precision: 2, minMove: 0.01 },
      title: t('chart.buyHold'),
      crosshairMarkerVisible: false,
    });
    c.panes()[0]?.setStretchFactor(2);
    c.panes()[1]?.setStretchFactor(1);
    c.subscribeClick((param) => {
      if (typeof param.time === 'number') jump.current?.(param.time * 1000);
    });
    chart.current = c;
    return () => {
      c.remove();
      chart.current = eqSeries.current = ddSeries.current = holdSeries.current = null;
    };
    // titles are refreshed below; the chart is built once
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    eqSeries.current?.applyOptions({ title: t('chart.equityPane') });
    ddSeries.current?.applyOptions({ title: t('chart.drawdownPane') });
    holdSeries.current?.applyOptions({ title: t('chart.buyHold') });
  }, [t]);

  useEffect(() => {
    if (!eqSeries.current || !ddSeries.current) return;
    const p = points ?? { times: [], equity: [], drawdown: [], buyHold: [] };
    eqSeries.current.setData(p.times.map((time, i) => ({ time: time as UTCTimestamp, value: p.equity[i] })));
    const hold = p.buyHold.length === p.times.length ? p.buyHold : [];
    holdSeries.current?.setData(hold.map((value, i) => ({ time: p.times[i] as UTCTimestamp, value })));
    host.current!.dataset.buyHoldPoints = String(hold.length);
    ddSeries.current.setData(p.times.map((time, i) => ({ time: time as UTCTimestamp, value: p.drawdown[i] })));
    host.current!.dataset.points = String(p.times.length);
    if (p.times.length) chart.current?.timeScale().fitContent();
  }, [points]);

  useEffect(() => {
    if (!points?.times.length) return;
    const follow = (range: { from: number; to: number } | null) => {
      if (!range || !chart.current) return;
      try {
        chart.current.timeScale().setVisibleRange({ from: toSeconds(range.from), to: toSeconds(range.to) });
      } catch {
        // a range outside the curve: keep the current view
      }
    };
    follow(sync.lastRange);
    return sync.onRange(follow);
  }, [sync, points]);

  useEffect(() => {
    if (fitSeq > 0) chart.current?.timeScale().fitContent();
  }, [fitSeq]);

  useEffect(() => {
    if (!points?.times.length) return;
    return sync.onCrosshair((timeMs) => {
      const c = chart.current;
      const s = eqSeries.current;
      if (!c || !s) return;
      const i = timeMs == null ? -1 : floorIndex(points.times, Math.floor(timeMs / 1000));
      if (i < 0) c.clearCrosshairPosition();
      else c.setCrosshairPosition(points.equity[i], points.times[i] as UTCTimestamp, s);
    });
  }, [sync, points]);

  return (
    <div className="chart-wrap">
      <div className="chart-host" ref={host} role="img" aria-label={t('chart.equity')} data-testid="equity-chart" data-points="0" title={t('chart.equityHint')} />
      {!points?.times.length && <p className="chart-empty">{t('chart.equityEmpty')}</p>}
    </div>
  );
}
