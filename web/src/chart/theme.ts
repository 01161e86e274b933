import { ColorType, CrosshairMode, type DeepPartial, type ChartOptions, type UTCTimestamp } from 'lightweight-charts';
import { formatUtc } from '../config/time';

export const COLORS = {
  up: '#0ecb81',
  down: '#f6465d',
  /** Liquidation markers: neither buy green nor sell red. */
  liquidation: '#c77dff',
  text: '#aab4c5',
  grid: '#1f2633',
  border: '#2a3242',
  background: '#131722',
  equity: '#f0b90b',
  compareA: '#f0b90b',
  compareB: '#3d9cf5',
  buyHold: '#8190a5',
};

export const toSeconds = (ms: number) => Math.floor(ms / 1000) as UTCTimestamp;

/** The options every chart of the page shares: dark, UTC times, the same price scale width so panes line up. */
/** `attribution`: TradingView's logo (its licence asks for attribution; the main chart shows it). */
export function baseChartOptions(attribution = false): DeepPartial<ChartOptions> {
  return {
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: COLORS.background },
      textColor: COLORS.text,
      fontSize: 11,
      fontFamily: 'ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "PingFang SC", "Microsoft YaHei", sans-serif',
      attributionLogo: attribution,
      panes: { separatorColor: COLORS.border, separatorHoverColor: '#3a4458', enableResize: true },
    },
    grid: { vertLines: { color: COLORS.grid }, horzLines: { color: COLORS.grid } },
    rightPriceScale: { borderColor: COLORS.border, minimumWidth: 84 },
    // a low minimum bar spacing lets a year of hourly candles fit on screen at once
    timeScale: { borderColor: COLORS.border, timeVisible: true, secondsVisible: false, minBarSpacing: 0.04 },
    crosshair: { mode: CrosshairMode.Normal },
    localization: { timeFormatter: (t: number) => formatUtc(t * 1000) },
  };
}
