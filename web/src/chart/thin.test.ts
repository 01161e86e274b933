import { describe, expect, it } from 'vitest';
import { fillsBetween, fillsByBar, floorIndex, thinExtremes } from './thin';
import { intervalMs } from './interval';
import type { Trade } from '../api/types';

describe('thinExtremes', () => {
  it('returns a short series as it is', () => {
    expect(thinExtremes([1, 2, 3], [5, 4, 6], 10)).toEqual({ times: [1, 2, 3], values: [5, 4, 6] });
  });

  it('keeps at most maxPoints, the first and last point, and every bucket\'s low and high', () => {
    const n = 100_000;
    const times = Array.from({ length: n }, (_, i) => i);
    // a wave with one deep trough and one high peak that a plain stride would skip
    const values = times.map((i) => 1000 + Math.sin(i / 500) * 10);
    values[31_337] = 10;
    values[77_777] = 5000;
    const out = thinExtremes(times, values, 2000);
    expect(out.times.length).toBeLessThanOrEqual(2000);
    expect(out.times[0]).toBe(0);
    expect(out.times[out.times.length - 1]).toBe(n - 1);
    expect(out.times).toContain(31_337);
    expect(out.times).toContain(77_777);
    expect(Math.min(...out.values)).toBe(10);
    expect(Math.max(...out.values)).toBe(5000);
    // still in time order, no duplicates
    expect(out.times.every((t, i) => i === 0 || t > out.times[i - 1])).toBe(true);
  });

  it('keeps the drawdown: the worst fall from a peak survives thinning', () => {
    const values = [100, 120, 90, 130, 110, 65, 140, 139, 141, 120];
    const times = values.map((_, i) => i);
    const maxDrawdown = (xs: number[]) => {
      let peak = -Infinity;
      let worst = 0;
      for (const x of xs) {
        peak = Math.max(peak, x);
        worst = Math.max(worst, (peak - x) / peak);
      }
      return worst;
    };
    const out = thinExtremes(times, values, 8);
    expect(out.values).toEqual([100, 90, 130, 110, 65, 141, 120]);
    // 130 → 65: a 50 % fall, in the full series and in the thinned one
    expect(maxDrawdown(values)).toBe(0.5);
    expect(maxDrawdown(out.values)).toBe(0.5);
  });
});

describe('floorIndex', () => {
  const xs = [10, 20, 30];
  it('finds the last element not after t', () => {
    expect([5, 10, 15, 20, 30, 99].map((t) => floorIndex(xs, t))).toEqual([-1, 0, 0, 1, 2, 2]);
  });
});

const trade = (iso: string, type: 'buy' | 'sell', amount = 1): Trade => ({ timestamp: iso, type, price: 100, amount, balance: 0, fee: 0.1 });

describe('fillsByBar', () => {
  const hour = intervalMs('1h');
  const bars = [0, 1, 2, 3].map((i) => Date.UTC(2024, 0, 1, i));

  it('puts each fill on the bar it fell in, buys and sells apart, several fills in one bar together', () => {
    const groups = fillsByBar(
      [
        trade('2024-01-01T00:00:00+00:00', 'buy'),
        trade('2024-01-01T01:15:00Z', 'sell', 0.5),
        trade('2024-01-01T01:45:00Z', 'sell', 0.25),
        trade('2024-01-01T01:50:00Z', 'buy', 2),
      ],
      bars,
      hour,
    );
    expect(groups.map((g) => [g.barTime, g.side, g.fills.length, g.amount])).toEqual([
      [bars[0], 'buy', 1, 1],
      [bars[1], 'buy', 1, 2],
      [bars[1], 'sell', 2, 0.75],
    ]);
  });

  it('leaves out fills whose candles are not loaded', () => {
    const groups = fillsByBar([trade('2023-12-31T23:00:00Z', 'buy'), trade('2024-01-01T04:00:00Z', 'sell'), trade('2024-01-01T03:59:59Z', 'sell')], bars, hour);
    expect(groups).toHaveLength(1);
    expect(groups[0].barTime).toBe(bars[3]);
  });

  it('finds nothing without candles', () => {
    expect(fillsByBar([trade('2024-01-01T00:00:00Z', 'buy')], [], hour)).toEqual([]);
  });
});

describe('fillsBetween', () => {
  it('takes the fills in [from, to) from a time-sorted list', () => {
    const fills = ['2024-01-01T00:00:00Z', '2024-01-01T01:00:00Z', '2024-01-01T02:00:00Z'].map((t) => trade(t, 'buy'));
    const times = fills.map((f) => Date.parse(f.timestamp));
    expect(fillsBetween(fills, times, times[1], times[2])).toEqual([fills[1]]);
  });
});

describe('intervalMs', () => {
  it('knows the Binance interval codes', () => {
    expect(['1m', '3m', '1h', '4h', '1d', '1w', '1M'].map(intervalMs)).toEqual([60_000, 180_000, 3_600_000, 14_400_000, 86_400_000, 604_800_000, 31 * 86_400_000]);
    expect(() => intervalMs('7x')).toThrow();
  });
});
