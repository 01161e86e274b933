import { describe, expect, it } from 'vitest';
import { KlineWindow } from './klineWindow';
import type { Kline } from '../api/types';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

/**
 * A series of hourly klines held by a fake client that answers like the kline API
 * (start exclusive, end inclusive, ascending, at most limit ≤ 1000) and counts requests.
 */
function series(count: number, gap?: { from: number; to: number }) {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = T0 + i * HOUR;
    if (gap && t >= gap.from && t < gap.to) continue;
    times.push(t);
  }
  const kline = (t: number): Kline => {
    const iso = new Date(t).toISOString().replace('.000Z', '+00:00');
    return { open_time: iso, open: t / HOUR, high: t / HOUR + 1, low: t / HOUR - 1, close: t / HOUR + 0.5, volume: 1, close_time: iso };
  };
  const requests: { startMs?: number | null; endMs?: number | null; limit?: number }[] = [];
  const client = {
    klines: async (_s: string, _i: string, page: { startMs?: number | null; endMs?: number | null; limit?: number }) => {
      requests.push(page);
      const limit = page.limit ?? 100;
      if (limit < 1 || limit > 1000) throw new Error(`limit ${limit} out of range`);
      const start = page.startMs ?? -Infinity;
      const end = page.endMs ?? Infinity;
      const data = times.filter((t) => t > start && t <= end).slice(0, limit).map(kline);
      return { symbol: 'BTCUSDT', interval: '1h', count: data.length, data };
    },
    previousKline: async (_s: string, _i: string, current?: number) => {
      requests.push({ endMs: current });
      const before = times.filter((t) => t < (current ?? Infinity));
      return before.length ? kline(before[before.length - 1]) : null;
    },
  };
  return { times, client, requests };
}

const contiguous = (w: KlineWindow) => w.candles.every((c, i) => i === 0 || c.time > w.candles[i - 1].time);

describe('KlineWindow', () => {
  it('loads a small range whole, a page of 1000 at a time', async () => {
    const s = series(2500);
    const w = new KlineWindow(s.client, 'BTCUSDT', '1h', T0, T0 + 2499 * HOUR);
    expect(w.isWhole).toBe(true);
    await w.load();
    expect(w.candles.map((c) => c.time)).toEqual(s.times);
    expect(s.requests.map((r) => r.limit)).toEqual([1000, 1000, 1000]);
    expect(s.requests[0].startMs).toBe(T0 - 1);
    expect(w.moreBefore || w.moreAfter).toBe(false);
  });

  it('loads only the part of the series inside the range', async () => {
    const s = series(3000);
    const w = new KlineWindow(s.client, 'BTCUSDT', '1h', T0 + 100 * HOUR, T0 + 199 * HOUR);
    await w.load();
    expect(w.candles).toHaveLength(100);
    expect(w.candles[0].time).toBe(T0 + 100 * HOUR);
    expect(w.candles[99].time).toBe(T0 + 199 * HOUR);
  });

  it('loads a wide range two pages at a time around the focus, never the whole of it', async () => {
    const s = series(60_000);
    const w = new KlineWindow(s.client, 'BTCUSDT', '1h', T0, T0 + 59_999 * HOUR, { maxLoaded: 5000, fullLoadMax: 10_000 });
    expect(w.isWhole).toBe(false);
    await w.load();
    // the window ends at the range's end
    expect(w.last).toBe(T0 + 59_999 * HOUR);
    expect(w.candles).toHaveLength(1000);
    expect(s.requests).toHaveLength(2);
    expect(w.moreBefore).toBe(true);
    expect(w.moreAfter).toBe(false);

    // scrolling left adds contiguous pages, and keeps at most maxLoaded
    for (let i = 0; i < 6; i++) expect(await w.extendBefore()).toBe(true);
    expect(w.candles).toHaveLength(5000);
    expect(contiguous(w)).toBe(true);
    expect(w.first).toBe(T0 + (59_999 - 6999) * HOUR);
    expect(w.last).toBe(T0 + (59_999 - 2000) * HOUR);
    expect(w.moreAfter).toBe(true);
    expect(s.requests.every((r) => (r.limit ?? 0) <= 1000)).toBe(true);
  });

  it('jumps to a time far from the loaded window and loads the pages around it', async () => {
    const s = series(60_000);
    const w = new KlineWindow(s.client, 'BTCUSDT', '1h', T0, T0 + 59_999 * HOUR);
    await w.load();
    const target = T0 + 12_345 * HOUR + 600_000;
    expect(await w.ensure(target)).toBe(true);
    expect(w.first! <= target && target < w.last! + HOUR).toBe(true);
    expect(w.candles.length).toBeLessThanOrEqual(2000);
    expect(contiguous(w)).toBe(true);
    // already loaded: nothing to do
    expect(await w.ensure(target)).toBe(false);
  });

  it('steps over a gap wider than a page when scrolling back', async () => {
    const gap = { from: T0 + 20_000 * HOUR, to: T0 + 22_500 * HOUR };
    const s = series(40_000, gap);
    const w = new KlineWindow(s.client, 'BTCUSDT', '1h', T0, T0 + 39_999 * HOUR, { fullLoadMax: 1000 });
    await w.load(T0 + 23_000 * HOUR);
    while (w.first! >= gap.to) expect(await w.extendBefore()).toBe(true);
    expect(w.first! < gap.from).toBe(true);
    expect(w.candles.some((c) => c.time === gap.from - HOUR)).toBe(true);
  });

  it('stops at the start of the range', async () => {
    const s = series(30_000);
    const w = new KlineWindow(s.client, 'BTCUSDT', '1h', T0 + 500 * HOUR, T0 + 29_999 * HOUR, { maxLoaded: 100_000 });
    await w.load(T0 + 1200 * HOUR);
    while (await w.extendBefore());
    expect(w.first).toBe(T0 + 500 * HOUR);
    expect(w.moreBefore).toBe(false);
  });

  it('does not trade pages back and forth when the view shows both edges of a full window', async () => {
    const s = series(60_000);
    const w = new KlineWindow(s.client, 'BTCUSDT', '1h', T0, T0 + 59_999 * HOUR, { maxLoaded: 3000 });
    await w.load(T0 + 30_000 * HOUR);
    expect(await w.extendBefore(0)).toBe(true);
    expect(w.candles).toHaveLength(3000);
    // full: another page would drop candles the view still shows
    expect(await w.extendBefore(10)).toBe(false);
    expect(await w.extendAfter(10)).toBe(false);
    // with a page of loaded bars out of view on the far side, the window slides
    expect(await w.extendAfter(1500)).toBe(true);
    expect(w.candles).toHaveLength(3000);
  });

  it('does one load at a time', async () => {
    const s = series(60_000);
    const w = new KlineWindow(s.client, 'BTCUSDT', '1h', T0, T0 + 59_999 * HOUR);
    await w.load();
    const [a, b] = await Promise.all([w.extendBefore(), w.extendBefore()]);
    expect([a, b]).toEqual([true, false]);
  });
});
