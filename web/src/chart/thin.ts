import type { Trade } from '../api/types';

/**
 * Keeps at most `maxPoints` of a time series, the way the server thins the equity curve: the range is
 * cut into buckets and each bucket keeps its first, lowest, highest and last point (in time order),
 * so peaks and troughs — and therefore the drawdown — survive thinning.
 */
export function thinExtremes(times: readonly number[], values: readonly number[], maxPoints: number): { times: number[]; values: number[] } {
  const n = Math.min(times.length, values.length);
  if (n <= maxPoints) return { times: times.slice(0, n), values: values.slice(0, n) };
  // four points per bucket at most
  const buckets = Math.max(1, Math.floor(Math.max(4, maxPoints) / 4));
  const size = n / buckets;
  const keep: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(n, Math.floor((b + 1) * size));
    if (to <= from) continue;
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      if (values[i] < values[lo]) lo = i;
      if (values[i] > values[hi]) hi = i;
    }
    for (const i of [from, lo, hi, to - 1].sort((a, b2) => a - b2)) if (keep[keep.length - 1] !== i) keep.push(i);
  }
  return { times: keep.map((i) => times[i]), values: keep.map((i) => values[i]) };
}

/** Index of the last element of ascending `sorted` that is ≤ t, or -1. */
export function floorIndex(sorted: readonly number[], t: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The exits a marker names: the position's brackets (contract §6). */
export type BracketExit = 'stop_loss' | 'take_profit' | 'trailing_stop';

const BRACKET_EXITS: readonly string[] = ['stop_loss', 'take_profit', 'trailing_stop'];

/** The fills of one kind that fell in one bar, with their total size: one marker per kind per bar. */
export interface BarFills {
  /** Open time of the bar, epoch ms. */
  barTime: number;
  side: Trade['type'];
  /** A bracket that closed the position, or null for the strategy's own orders. */
  exit: BracketExit | null;
  fills: Trade[];
  amount: number;
}

const SIDE_ORDER: Record<Trade['type'], number> = { buy: 0, sell: 1, liquidation: 2 };

/**
 * Groups fills by the loaded bar they fell in (the bar whose open time is the last one ≤ the fill's
 * time), buys, sells and liquidations apart, and bracket exits (stop-loss, take-profit, trailing stop)
 * apart from the strategy's own orders. Fills outside [first bar, last bar + barMs) are left out: their
 * candles are not loaded, so there is nothing to put a marker on.
 */
export function fillsByBar(fills: readonly Trade[], barTimes: readonly number[], barMs: number): BarFills[] {
  if (barTimes.length === 0) return [];
  const first = barTimes[0];
  const end = barTimes[barTimes.length - 1] + barMs;
  const groups = new Map<string, BarFills>();
  for (const fill of fills) {
    const t = Date.parse(fill.timestamp);
    if (!(t >= first && t < end)) continue;
    const bar = barTimes[floorIndex(barTimes, t)];
    const side = fill.reason === 'liquidation' ? 'liquidation' : fill.type;
    const exit = side !== 'liquidation' && fill.reason && BRACKET_EXITS.includes(fill.reason) ? (fill.reason as BracketExit) : null;
    const key = `${bar}|${side}|${exit ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = { barTime: bar, side, exit, fills: [], amount: 0 };
      groups.set(key, g);
    }
    g.fills.push(fill);
    g.amount += fill.amount;
  }
  return [...groups.values()].sort((a, b) => a.barTime - b.barTime || SIDE_ORDER[a.side] - SIDE_ORDER[b.side] || (a.exit ?? '').localeCompare(b.exit ?? ''));
}

/** The fills whose time lies in [fromMs, toMs), from a list sorted by time. */
export function fillsBetween(sortedFills: readonly Trade[], fillTimes: readonly number[], fromMs: number, toMs: number): Trade[] {
  const start = floorIndex(fillTimes, fromMs - 1) + 1;
  const out: Trade[] = [];
  for (let i = start; i < sortedFills.length && fillTimes[i] < toMs; i++) out.push(sortedFills[i]);
  return out;
}
