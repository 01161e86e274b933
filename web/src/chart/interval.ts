/** Length of a kline interval code (1m, 4h, 1d, 1w, 1M ...) in ms; a month counts as 31 days (an upper bound). */
export function intervalMs(code: string): number {
  const m = /^(\d+)([smhdwM])$/.exec(code);
  if (!m) throw new Error(`unknown interval '${code}'`);
  const n = Number(m[1]);
  const unit: Record<string, number> = {
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
    w: 7 * 86_400_000,
    M: 31 * 86_400_000,
  };
  return n * unit[m[2]];
}
