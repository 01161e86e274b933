// Times in the form are UTC, shown as the value of an <input type="datetime-local"> ("2024-01-01T00:00").

const pad = (n: number) => String(n).padStart(2, '0');

/** Epoch ms → "YYYY-MM-DDTHH:mm" in UTC. */
export function toInputValue(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** "YYYY-MM-DDTHH:mm[:ss]" or "YYYY-MM-DD" read as UTC → epoch ms, or NaN. */
export function fromInputValue(value: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value.trim());
  if (!m) return NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  const back = new Date(ms);
  // reject dates that roll over (2024-02-31)
  return back.getUTCDate() === +d && back.getUTCMonth() === +mo - 1 ? ms : NaN;
}

/** Epoch ms → "2024-01-01T00:00:00Z", the form sent to the server. */
export function toIso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Epoch ms → "2024-01-01 00:00" (UTC) for tables and tooltips. */
export function formatUtc(ms: number, withSeconds = false): string {
  const s = toInputValue(ms).replace('T', ' ');
  return withSeconds ? `${s}:${pad(new Date(ms).getUTCSeconds())}` : s;
}

export type Preset = '30d' | '1y' | 'all';

const DAY = 86_400_000;

/**
 * The range a preset stands for, counted back from the series' last kline (the data may end long
 * before today): 30 days, 365 days, or first → last.
 */
export function presetRange(preset: Preset, series: { first: number; last: number }): { start: number; end: number } {
  const end = series.last;
  const back = preset === '30d' ? 30 * DAY : preset === '1y' ? 365 * DAY : Infinity;
  return { start: Math.max(series.first, end - back), end };
}
