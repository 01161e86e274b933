import { describe, expect, it } from 'vitest';
import { formatUtc, fromInputValue, presetRange, toInputValue, toIso } from './time';

const DAY = 86_400_000;

describe('form times (UTC)', () => {
  it('writes and reads the datetime-local value in UTC whatever the browser\'s zone', () => {
    const t = Date.UTC(2024, 6, 16, 8, 5);
    expect(toInputValue(t)).toBe('2024-07-16T08:05');
    expect(fromInputValue('2024-07-16T08:05')).toBe(t);
    expect(fromInputValue('2024-07-16')).toBe(Date.UTC(2024, 6, 16));
    expect(fromInputValue('2024-07-16T08:05:30')).toBe(t + 30_000);
  });

  it('refuses what is not a date', () => {
    expect(fromInputValue('2024-13-01T00:00')).toBeNaN();
    expect(fromInputValue('2023-02-29')).toBeNaN();
    expect(fromInputValue('yesterday')).toBeNaN();
  });

  it('sends ISO-8601 with Z and shows "YYYY-MM-DD HH:mm"', () => {
    expect(toIso(Date.UTC(2024, 0, 1))).toBe('2024-01-01T00:00:00Z');
    expect(formatUtc(Date.UTC(2024, 0, 1, 13, 7, 9))).toBe('2024-01-01 13:07');
    expect(formatUtc(Date.UTC(2024, 0, 1, 13, 7, 9), true)).toBe('2024-01-01 13:07:09');
  });
});

describe('presetRange', () => {
  const series = { first: Date.UTC(2019, 0, 1), last: Date.UTC(2024, 6, 16, 8) };
  it('counts back from the last kline, not from today', () => {
    expect(presetRange('30d', series)).toEqual({ start: series.last - 30 * DAY, end: series.last });
    expect(presetRange('1y', series)).toEqual({ start: series.last - 365 * DAY, end: series.last });
    expect(presetRange('all', series)).toEqual({ start: series.first, end: series.last });
  });
  it('never starts before the first kline', () => {
    expect(presetRange('1y', { first: series.last - 10 * DAY, last: series.last }).start).toBe(series.last - 10 * DAY);
  });
});
