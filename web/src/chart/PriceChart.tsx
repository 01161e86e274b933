import { useEffect, useRef, useState } from 'react';
import {
  CandlestickSeries,
  HistogramSeries,
  createChart,
  createSeriesMarkers,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type SeriesMarker,
  type Time,
} from 'lightweight-charts';
import type { Trade } from '../api/types';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { formatUtc } from '../config/time';
import type { Candle } from './klineWindow';
import { fillsByBar, floorIndex, type BarFills } from './thin';
import { COLORS, baseChartOptions, toSeconds } from './theme';
import { fillMarker } from './markers';
import { LIMITS } from '../app/limits';

export interface TimeRange {
  /** Epoch ms. */
  from: number;
  to: number;
}

export interface PriceChartProps {
  candles: Candle[];
  barMs: number;
  fills: Trade[];
  /** Scroll requests: show the bar at `time` (ms); `seq` makes a repeated request count. */
  focus: { time: number; seq: number } | null;
  /** Fit everything loaded into view when `seq` changes. */
  fitSeq: number;
  onRange?(range: TimeRange | null): void;
  /** The view nears an edge of the loaded candles; `farBars`: loaded bars beyond the other edge of the view. */
  onNeedMore?(side: 'before' | 'after', farBars: number): void;
  onCrosshair?(timeMs: number | null): void;
}

/** Bars from the edge at which the next page is asked for. */
const EDGE_BARS = 60;
const MARKER_THROTTLE_MS = LIMITS.markerThrottleMs;

interface Hover {
  x: number;
  y: number;
  candle: Candle | null;
  groups: BarFills[];
}

/** Candles (with volume) and one marker per bar and kind of fill (markers.ts); hovering a marked bar lists its fills. */
export function PriceChart({ candles, barMs, fills, focus, fitSeq, onRange, onNeedMore, onCrosshair }: PriceChartProps) {
  const { t } = useI18n();
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const series = useRef<ISeriesApi<'Candlestick'> | null>(null);
  const volume = useRef<ISeriesApi<'Histogram'> | null>(null);
  const markers = useRef<ISeriesMarkersPluginApi<Time> | null>(null);
  const groupsByBar = useRef(new Map<number, BarFills[]>());
  const loaded = useRef<{ candles: Candle[]; times: number[] }>({ candles: [], times: [] });
  const callbacks = useRef({ onRange, onNeedMore, onCrosshair });
  callbacks.current = { onRange, onNeedMore, onCrosshair };
  const [hover, setHover] = useState<Hover | null>(null);

  useEffect(() => {
    const c = createChart(host.current!, baseChartOptions(true));
    const s = c.addSeries(CandlestickSeries, {
      upColor: COLORS.up,
      downColor: COLORS.down,
      borderUpColor: COLORS.up,
      borderDownColor: COLORS.down,
      wickUpColor: COLORS.up,
      wickDownColor: COLORS.down,
      priceLineVisible: true,
    });
    const v = c.addSeries(HistogramSeries, { priceScaleId: 'volume', priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false });
    c.priceScale('volume').applyOptions({ scaleMargins: { top: 0.82, bottom: 0 } });
    s.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.22 } });
    chart.current = c;
    series.current = s;
    volume.current = v;
    markers.current = createSeriesMarkers(s, []);

    c.timeScale().subscribeVisibleLogicalRangeChange((range) => {
      if (!range || !series.current) return;
      const bars = series.current.barsInLogicalRange(range);
      if (!bars) return;
      if (bars.barsBefore < EDGE_BARS) callbacks.current.onNeedMore?.('before', Math.max(0, bars.barsAfter));
      if (bars.barsAfter < EDGE_BARS) callbacks.current.onNeedMore?.('after', Math.max(0, bars.barsBefore));
    });
    c.timeScale().subscribeVisibleTimeRangeChange((range) => {
      callbacks.current.onRange?.(range ? { from: (range.from as number) * 1000, to: (range.to as number) * 1000 } : null);
    });
    c.subscribeCrosshairMove((param) => {
      const time = typeof param.time === 'number' ? param.time * 1000 : null;
      callbacks.current.onCrosshair?.(time);
      if (time == null || !param.point) return setHover(null);
      const { candles: cs, times } = loaded.current;
      const i = floorIndex(times, time);
      setHover({ x: param.point.x, y: param.point.y, candle: i >= 0 ? cs[i] : null, groups: groupsByBar.current.get(time) ?? [] });
    });
    return () => {
      c.remove();
      chart.current = series.current = volume.current = markers.current = null;
    };
  }, []);

  // candles: keep the user's view where it was when a page is added before the loaded ones
  useEffect(() => {
    const c = chart.current;
    const s = series.current;
    if (!c || !s || !volume.current) return;
    const previous = loaded.current;
    const range = c.timeScale().getVisibleLogicalRange();
    s.setData(candles.map((k) => ({ time: toSeconds(k.time), open: k.open, high: k.high, low: k.low, close: k.close })));
    volume.current.setData(
      candles.map((k) => ({ time: toSeconds(k.time), value: k.volume, color: k.close >= k.open ? '#0ecb8155' : '#f6465d55' })),
    );
    const times = candles.map((k) => k.time);
    loaded.current = { candles, times };
    host.current!.dataset.candles = String(candles.length);
    if (candles.length === 0) return;
    if (!range || previous.times.length === 0) {
      c.timeScale().fitContent();
      return;
    }
    if (times[0] === previous.times[0]) return; // a page added after: indexes unchanged
    const added = exactIndex(times, previous.times[0]);
    if (added > 0) {
      c.timeScale().setVisibleLogicalRange({ from: range.from + added, to: range.to + added });
      return;
    }
    const dropped = exactIndex(previous.times, times[0]);
    if (dropped > 0) c.timeScale().setVisibleLogicalRange({ from: range.from - dropped, to: range.to - dropped });
    // otherwise a new window (a jump): the focus request that came with it places the view
  }, [candles]);

  // markers, throttled while fills stream in
  const lastMarkers = useRef(0);
  useEffect(() => {
    const build = () => {
      lastMarkers.current = Date.now();
      const groups = fillsByBar(fills, loaded.current.times, barMs);
      const byBar = new Map<number, BarFills[]>();
      const list: SeriesMarker<Time>[] = groups.map((g) => {
        const at = byBar.get(g.barTime);
        if (at) at.push(g);
        else byBar.set(g.barTime, [g]);
        return fillMarker(g);
      });
      groupsByBar.current = byBar;
      markers.current?.setMarkers(list);
      if (host.current) host.current.dataset.markers = String(list.length);
    };
    const wait = MARKER_THROTTLE_MS - (Date.now() - lastMarkers.current);
    if (wait <= 0) {
      build();
      return;
    }
    const timer = setTimeout(build, wait);
    return () => clearTimeout(timer);
  }, [fills, candles, barMs]);

  useEffect(() => {
    const c = chart.current;
    if (!c || !focus) return;
    const times = loaded.current.times;
    const i = floorIndex(times, focus.time);
    if (i < 0) return;
    const range = c.timeScale().getVisibleLogicalRange();
    // keep the zoom the user chose, but never so wide that the focused bar is lost in the crowd
    const half = range ? Math.min(200, Math.max(20, (range.to - range.from) / 2)) : 100;
    c.timeScale().setVisibleLogicalRange({ from: i - half, to: i + half });
  }, [focus]);

  useEffect(() => {
    if (fitSeq > 0) chart.current?.timeScale().fitContent();
  }, [fitSeq]);

  const width = host.current?.clientWidth ?? 0;
  return (
    <div className="chart-wrap">
      <div className="chart-host" ref={host} role="img" aria-label={t('chart.candles')} data-testid="price-chart" data-candles="0" data-markers="0" />
      {hover?.candle && (
        <div className="ohlc-legend" aria-hidden="true">
          <span>{formatUtc(hover.candle.time)}</span>
          <span>O {hover.candle.open}</span>
          <span>H {hover.candle.high}</span>
          <span>L {hover.candle.low}</span>
          <span className={hover.candle.close >= hover.candle.open ? 'up' : 'down'}>C {hover.candle.close}</span>
        </div>
      )}
      {hover && hover.groups.length > 0 && (
        <div
          className="fill-tooltip"
          role="tooltip"
          data-testid="fill-tooltip"
          style={{ left: Math.min(hover.x + 14, Math.max(0, width - 250)), top: Math.max(4, hover.y - 10) }}
        >
          {hover.groups.flatMap((g) => g.fills.slice(0, 4).map((f, i) => <FillRow key={`${g.side}${g.exit}${i}`} fill={f} />))}
          {hover.groups.reduce((n, g) => n + Math.max(0, g.fills.length - 4), 0) > 0 && (
            <div className="muted">{t('chart.more', { count: hover.groups.reduce((n, g) => n + Math.max(0, g.fills.length - 4), 0) })}</div>
          )}
        </div>
      )}
    </div>
  );
}

function FillRow({ fill }: { fill: Trade }) {
  const { t } = useI18n();
  const side = fill.type === 'buy' ? t('chart.buy') : fill.type === 'sell' ? t('chart.sell') : t('chart.liquidation');
  // the reason is shown when it says more than the side does
  const reason = fill.reason && fill.reason !== 'order' && fill.reason !== 'liquidation' ? t(`reason.${fill.reason}` as MessageKey) : null;
  return (
    <div className="fill-row">
      <strong className={fill.type === 'buy' ? 'up' : fill.type === 'sell' ? 'down' : 'liq'}>{side}</strong>
      {reason && <span className="reason"> · {reason}</span>} <span className="muted">{formatUtc(Date.parse(fill.timestamp))}</span>
      <dl>
        <dt>{t('chart.price')}</dt>
        <dd>{fill.price}</dd>
        <dt>{t('chart.amount')}</dt>
        <dd>{round(fill.amount, 8)}</dd>
        <dt>{t('chart.fee')}</dt>
        <dd>{round(fill.fee, 8)}</dd>
        {fill.slippage != null && fill.slippage !== 0 && (
          <>
            <dt>{t('chart.slippage')}</dt>
            <dd>{round(fill.slippage, 8)}</dd>
          </>
        )}
        <dt>{t('chart.balance')}</dt>
        <dd>{round(fill.balance, 2)}</dd>
      </dl>
    </div>
  );
}

function exactIndex(sorted: readonly number[], t: number): number {
  const i = floorIndex(sorted, t);
  return i >= 0 && sorted[i] === t ? i : -1;
}

const round = (v: number, digits: number) => Number(v.toFixed(digits)).toString();
