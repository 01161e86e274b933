// A stand-in for lightweight-charts in jsdom (which has no canvas): records what the components ask of it.
import { vi } from 'vitest';

export interface FakeSeries {
  kind: string;
  options: Record<string, unknown>;
  data: unknown[];
  paneIndex: number;
  setData: (d: unknown[]) => void;
  applyOptions: (o: Record<string, unknown>) => void;
  priceScale: () => { applyOptions: () => void };
  barsInLogicalRange: () => { barsBefore: number; barsAfter: number } | null;
}

export interface FakeChart {
  series: FakeSeries[];
  markers: unknown[][];
  visibleRange: unknown;
  logicalRange: { from: number; to: number } | null;
  removed: boolean;
  crosshairHandlers: ((p: unknown) => void)[];
  clickHandlers: ((p: unknown) => void)[];
  rangeHandlers: ((r: unknown) => void)[];
  timeRangeHandlers: ((r: unknown) => void)[];
}

export const charts: FakeChart[] = [];

export function resetCharts() {
  charts.length = 0;
}

function makeChart(): unknown {
  const chart: FakeChart = {
    series: [],
    markers: [],
    visibleRange: null,
    logicalRange: null,
    removed: false,
    crosshairHandlers: [],
    clickHandlers: [],
    rangeHandlers: [],
    timeRangeHandlers: [],
  };
  charts.push(chart);
  const timeScale = {
    subscribeVisibleLogicalRangeChange: (h: (r: unknown) => void) => chart.rangeHandlers.push(h),
    subscribeVisibleTimeRangeChange: (h: (r: unknown) => void) => chart.timeRangeHandlers.push(h),
    getVisibleLogicalRange: () => chart.logicalRange,
    setVisibleLogicalRange: (r: { from: number; to: number }) => (chart.logicalRange = r),
    setVisibleRange: (r: unknown) => (chart.visibleRange = r),
    fitContent: vi.fn(),
  };
  return {
    addSeries(def: { kind: string }, options: Record<string, unknown> = {}, paneIndex = 0) {
      const s: FakeSeries = {
        kind: def.kind,
        options,
        data: [],
        paneIndex,
        setData: (d) => (s.data = d),
        applyOptions: (o) => Object.assign(s.options, o),
        priceScale: () => ({ applyOptions: () => undefined }),
        barsInLogicalRange: () => ({ barsBefore: 100, barsAfter: 100 }),
      };
      chart.series.push(s);
      return s;
    },
    priceScale: () => ({ applyOptions: () => undefined }),
    timeScale: () => timeScale,
    panes: () => [{ setStretchFactor: () => undefined }, { setStretchFactor: () => undefined }],
    subscribeCrosshairMove: (h: (p: unknown) => void) => chart.crosshairHandlers.push(h),
    subscribeClick: (h: (p: unknown) => void) => chart.clickHandlers.push(h),
    setCrosshairPosition: vi.fn(),
    clearCrosshairPosition: vi.fn(),
    remove: () => (chart.removed = true),
    _fake: chart,
  };
}

/** The module object handed to vi.mock('lightweight-charts'). */
export const fakeLightweightCharts = {
  createChart: () => makeChart(),
  createSeriesMarkers: (series: FakeSeries, initial: unknown[] = []) => {
    const chart = charts.find((c) => c.series.includes(series))!;
    chart.markers.push(initial);
    return {
      setMarkers: (m: unknown[]) => chart.markers.push(m),
      markers: () => chart.markers[chart.markers.length - 1],
      detach: () => undefined,
    };
  },
  CandlestickSeries: { kind: 'Candlestick' },
  HistogramSeries: { kind: 'Histogram' },
  AreaSeries: { kind: 'Area' },
  LineSeries: { kind: 'Line' },
  ColorType: { Solid: 'solid' },
  CrosshairMode: { Normal: 0 },
  LineStyle: { Solid: 0, Dotted: 1, Dashed: 2 },
};
