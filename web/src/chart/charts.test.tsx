import { beforeEach, describe, expect, it, vi } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import { I18nProvider } from '../i18n/i18n';
import { charts, resetCharts } from '../test/fakeCharts';
import type { Candle } from './klineWindow';
import type { Trade } from '../api/types';

vi.mock('lightweight-charts', async () => (await import('../test/fakeCharts')).fakeLightweightCharts);

const { PriceChart } = await import('./PriceChart');
const { EquityChart, equityPoints } = await import('./EquityChart');
const { ChartSync } = await import('./sync');
const { fillMarker } = await import('./markers');
const { fillsByBar } = await import('./thin');
const { COLORS } = await import('./theme');

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const candles: Candle[] = Array.from({ length: 48 }, (_, i) => ({ time: T0 + i * HOUR, open: 100 + i, high: 102 + i, low: 99 + i, close: 101 + i, volume: 5 }));
const fills: Trade[] = [
  { timestamp: '2024-01-01T03:00:00+00:00', type: 'buy', price: 104, amount: 0.5, balance: 9947.9, fee: 0.052 },
  { timestamp: '2024-01-01T10:00:00+00:00', type: 'sell', price: 111, amount: 0.25, balance: 9975.6, fee: 0.028 },
  { timestamp: '2024-01-01T10:30:00+00:00', type: 'sell', price: 111.5, amount: 0.25, balance: 10003.4, fee: 0.028 },
];

const inEnglish = (ui: React.ReactNode) => render(<I18nProvider lang="en">{ui}</I18nProvider>);

describe('PriceChart', () => {
  beforeEach(resetCharts);

  it('draws the candles and one marker per side per bar, buys below and sells above', () => {
    vi.useFakeTimers();
    inEnglish(<PriceChart candles={candles} barMs={HOUR} fills={fills} focus={null} fitSeq={0} />);
    act(() => vi.runAllTimers());
    vi.useRealTimers();
    const chart = charts[0];
    const candleSeries = chart.series.find((s) => s.kind === 'Candlestick')!;
    expect(candleSeries.data).toHaveLength(48);
    expect(candleSeries.data[0]).toEqual({ time: T0 / 1000, open: 100, high: 102, low: 99, close: 101 });
    const markers = chart.markers[chart.markers.length - 1] as { time: number; position: string; shape: string; text: string }[];
    expect(markers.map((m) => [m.time, m.position, m.shape, m.text])).toEqual([
      [(T0 + 3 * HOUR) / 1000, 'belowBar', 'arrowUp', 'B'],
      [(T0 + 10 * HOUR) / 1000, 'aboveBar', 'arrowDown', 'S×2'],
    ]);
    expect(screen.getByTestId('price-chart')).toHaveAttribute('data-markers', '2');
    expect(screen.getByTestId('price-chart')).toHaveAttribute('data-candles', '48');
    expect(screen.getByRole('img', { name: 'Price chart with buy and sell markers' })).toBeInTheDocument();
  });

  // a short with brackets, closed by its stop-loss; a long closed by its take-profit; a long liquidated
  const futuresFills: Trade[] = [
    { timestamp: '2024-01-01T02:00:00+00:00', type: 'sell', price: 102, amount: 1, balance: 9999.9, fee: 0.1, reason: 'order', slippage: 0 },
    { timestamp: '2024-01-01T04:20:00+00:00', type: 'buy', price: 106.53, amount: 1, balance: 9995.2, fee: 0.107, reason: 'stop_loss', slippage: 0.0213 },
    { timestamp: '2024-01-01T06:00:00+00:00', type: 'buy', price: 106, amount: 1, balance: 9995.1, fee: 0.106, reason: 'order', slippage: 0 },
    { timestamp: '2024-01-01T06:40:00+00:00', type: 'sell', price: 108, amount: 1, balance: 9997, fee: 0.108, reason: 'take_profit', slippage: 0 },
    { timestamp: '2024-01-01T06:50:00+00:00', type: 'sell', price: 108, amount: 0.5, balance: 9998, fee: 0.054, reason: 'take_profit', slippage: 0 },
    { timestamp: '2024-01-01T08:00:00+00:00', type: 'buy', price: 108, amount: 10, balance: 9996.9, fee: 1.08, reason: 'order', slippage: 0 },
    { timestamp: '2024-01-01T08:00:00+00:00', type: 'sell', price: 108.5, amount: 1, balance: 9996.9, fee: 0.1, reason: 'trailing_stop', slippage: 0 },
    { timestamp: '2024-01-01T09:30:00+00:00', type: 'liquidation', price: 107.4, amount: 10, balance: 9888.9, fee: 1.074, reason: 'liquidation', slippage: 0 },
  ];

  it('builds a liquidation marker of its own colour and shape, and names bracket exits', () => {
    const groups = fillsByBar(futuresFills, candles.map((k) => k.time), HOUR);
    expect(groups.map((g) => [g.barTime, g.side, g.exit, g.fills.length])).toEqual([
      [T0 + 2 * HOUR, 'sell', null, 1],
      [T0 + 4 * HOUR, 'buy', 'stop_loss', 1],
      [T0 + 6 * HOUR, 'buy', null, 1],
      [T0 + 6 * HOUR, 'sell', 'take_profit', 2],
      [T0 + 8 * HOUR, 'buy', null, 1],
      [T0 + 8 * HOUR, 'sell', 'trailing_stop', 1],
      [T0 + 9 * HOUR, 'liquidation', null, 1],
    ]);
    const liq = fillMarker(groups[6]);
    expect(liq).toEqual({ id: `${T0 + 9 * HOUR}|liquidation|`, time: (T0 + 9 * HOUR) / 1000, position: 'aboveBar', shape: 'square', color: COLORS.liquidation, text: 'LIQ' });
    expect(COLORS.liquidation).not.toBe(COLORS.up);
    expect(COLORS.liquidation).not.toBe(COLORS.down);
    // the stop-loss of a short is a buy: below the bar, pointing up, named SL
    expect(fillMarker(groups[1])).toMatchObject({ position: 'belowBar', shape: 'arrowUp', color: COLORS.up, text: 'SL' });
    expect(fillMarker(groups[3])).toMatchObject({ position: 'aboveBar', shape: 'arrowDown', color: COLORS.down, text: 'TP×2' });
    expect(fillMarker(groups[5]).text).toBe('TS');
    expect(fillMarker(groups[0]).text).toBe('S');
  });

  it('draws those markers on the chart and names them in the hovered bar\'s list', () => {
    vi.useFakeTimers();
    inEnglish(<PriceChart candles={candles} barMs={HOUR} fills={futuresFills} focus={null} fitSeq={0} />);
    act(() => vi.runAllTimers());
    vi.useRealTimers();
    const markers = charts[0].markers[charts[0].markers.length - 1] as { time: number; shape: string; color: string; text: string }[];
    expect(markers.map((m) => m.text)).toEqual(['S', 'SL', 'B', 'TP×2', 'B', 'TS', 'LIQ']);
    expect(markers[6]).toMatchObject({ time: (T0 + 9 * HOUR) / 1000, shape: 'square', color: COLORS.liquidation });
    act(() => charts[0].crosshairHandlers.forEach((h) => h({ time: (T0 + 9 * HOUR) / 1000, point: { x: 100, y: 50 } })));
    expect(screen.getByTestId('fill-tooltip')).toHaveTextContent('Liquidation');
    expect(screen.getByTestId('fill-tooltip')).toHaveTextContent('Price107.4');
    act(() => charts[0].crosshairHandlers.forEach((h) => h({ time: (T0 + 4 * HOUR) / 1000, point: { x: 100, y: 50 } })));
    expect(screen.getByTestId('fill-tooltip')).toHaveTextContent('Buy · Stop-loss');
    expect(screen.getByTestId('fill-tooltip')).toHaveTextContent('Slippage0.0213');
  });

  it('lists the fills of a hovered bar: price, amount, fee, balance', () => {
    vi.useFakeTimers();
    inEnglish(<PriceChart candles={candles} barMs={HOUR} fills={fills} focus={null} fitSeq={0} />);
    act(() => vi.runAllTimers());
    vi.useRealTimers();
    act(() => charts[0].crosshairHandlers.forEach((h) => h({ time: (T0 + 10 * HOUR) / 1000, point: { x: 100, y: 50 } })));
    const tip = screen.getByTestId('fill-tooltip');
    expect(tip).toHaveTextContent('Sell');
    expect(tip).toHaveTextContent('Price111');
    expect(tip).toHaveTextContent('Price111.5');
    expect(tip).toHaveTextContent('Amount0.25');
    expect(tip).toHaveTextContent('Fee0.028');
    expect(tip).toHaveTextContent('Balance10003.4');
    act(() => charts[0].crosshairHandlers.forEach((h) => h({ time: (T0 + 11 * HOUR) / 1000, point: { x: 100, y: 50 } })));
    expect(screen.queryByTestId('fill-tooltip')).toBeNull();
  });

  it('asks for the next page when the view nears an edge, and reports its time range', () => {
    const onNeedMore = vi.fn();
    const onRange = vi.fn();
    inEnglish(<PriceChart candles={candles} barMs={HOUR} fills={[]} focus={null} fitSeq={0} onNeedMore={onNeedMore} onRange={onRange} />);
    const chart = charts[0];
    const s = chart.series[0];
    s.barsInLogicalRange = () => ({ barsBefore: 5, barsAfter: 300 });
    chart.rangeHandlers.forEach((h) => h({ from: 0, to: 40 }));
    expect(onNeedMore).toHaveBeenCalledWith('before', 300);
    expect(onNeedMore).not.toHaveBeenCalledWith('after');
    chart.timeRangeHandlers.forEach((h) => h({ from: T0 / 1000, to: (T0 + HOUR) / 1000 }));
    expect(onRange).toHaveBeenCalledWith({ from: T0, to: T0 + HOUR });
  });

  it('keeps the view on the same candles when a page is added before them', () => {
    const { rerender } = inEnglish(<PriceChart candles={candles.slice(24)} barMs={HOUR} fills={[]} focus={null} fitSeq={0} />);
    charts[0].logicalRange = { from: 2, to: 20 };
    rerender(
      <I18nProvider lang="en">
        <PriceChart candles={candles} barMs={HOUR} fills={[]} focus={null} fitSeq={0} />
      </I18nProvider>,
    );
    expect(charts[0].logicalRange).toEqual({ from: 26, to: 44 });
  });
});

describe('EquityChart', () => {
  beforeEach(resetCharts);

  const equity = {
    total: 4,
    timestamp: [T0, T0 + HOUR, T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR],
    equity: [10000, 10100, 10100, 9595, 10200],
    balance: [10000, 0, 0, 0, 10200],
    position: [0, 1, 1, 1, 0],
    drawdown: [0, 0, 0, 0.05, 0],
  };

  it('plots equity above and drawdown (in %) below, dropping repeated times', () => {
    const points = equityPoints(equity);
    expect(points.times).toEqual([T0 / 1000, (T0 + HOUR) / 1000, (T0 + 2 * HOUR) / 1000, (T0 + 3 * HOUR) / 1000]);
    expect(points.drawdown).toEqual([-0, -0, -5, -0]);
    inEnglish(<EquityChart equity={equity} sync={new ChartSync()} fitSeq={0} />);
    const [eq, dd] = charts[0].series;
    expect(eq.paneIndex).toBe(0);
    expect(dd.paneIndex).toBe(1);
    expect(eq.data).toHaveLength(4);
    expect((dd.data[2] as { value: number }).value).toBe(-5);
    expect(screen.getByTestId('equity-chart')).toHaveAttribute('data-points', '4');
  });

  it('follows the candle chart\'s time range and crosshair', () => {
    const sync = new ChartSync();
    inEnglish(<EquityChart equity={equity} sync={sync} fitSeq={0} />);
    sync.emitRange({ from: T0 + HOUR, to: T0 + 2 * HOUR });
    expect(charts[0].visibleRange).toEqual({ from: (T0 + HOUR) / 1000, to: (T0 + 2 * HOUR) / 1000 });
  });

  it('sends a click as a jump for the candles', () => {
    const onJump = vi.fn();
    inEnglish(<EquityChart equity={equity} sync={new ChartSync()} fitSeq={0} onJump={onJump} />);
    charts[0].clickHandlers.forEach((h) => h({ time: (T0 + 2 * HOUR) / 1000 }));
    expect(onJump).toHaveBeenCalledWith(T0 + 2 * HOUR);
  });
});
