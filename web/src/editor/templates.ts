import type { StrategyTemplate } from '../api/types';

/** Shown on first visit, and offered when the server lists no templates. */
export const STARTER_TEMPLATE: StrategyTemplate = {
  name: 'starter',
  file: 'starter.py',
  description: 'Buys when the fast SMA crosses above the slow one, sells when it crosses back.',
  code: `"""
Starter: a simple moving-average cross.

strategyParams read (default):
    fast_period    10    closes in the fast SMA
    slow_period    30    closes in the slow SMA
    klineWndSize   50    (engine) klines kept in self.kline_cache
"""


class Strategy(IStrategy):
    def run(self, context: BacktestContext, kline: Kline, params: dict):
        closes = self.kline_cache.get_closes()
        fast = params.get('fast_period', 10)
        slow = params.get('slow_period', 30)
        if len(closes) < slow + 1:
            return

        fast_now, slow_now = calculate_sma(closes, fast), calculate_sma(closes, slow)
        fast_prev, slow_prev = calculate_sma(closes[:-1], fast), calculate_sma(closes[:-1], slow)

        if fast_now > slow_now and fast_prev <= slow_prev and context.position == 0:
            amount = float(context.balance / kline.close) * 0.95
            if context.buy(kline.close, amount, kline.open_time):
                print(kline.open_time, 'buy', round(amount, 6), '@', kline.close)
        elif fast_now < slow_now and fast_prev >= slow_prev and context.position > 0:
            context.sell_all(kline.close, kline.open_time)
            print(kline.open_time, 'sell all @', kline.close)
`,
};

function parseValue(raw: string): unknown {
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw)) return Number(raw);
  if (raw === 'True' || raw === 'true') return true;
  if (raw === 'False' || raw === 'false') return false;
  if (raw === 'None') return null;
  return raw.replace(/^['"]|['"]$/g, '');
}

/**
 * The parameters a template documents in its docstring, under "strategyParams read (default):",
 * one per line as `name  default  description`. `klineWndSize` is returned apart: it has its own field.
 */
export function templateParams(code: string): { params: Record<string, unknown>; klineWndSize: number | null } {
  const params: Record<string, unknown> = {};
  let klineWndSize: number | null = null;
  const lines = code.split('\n');
  const start = lines.findIndex((l) => /strategyParams read/i.test(l));
  if (start < 0) return { params, klineWndSize };
  for (const line of lines.slice(start + 1)) {
    if (/^\s*("""|''')/.test(line) || line.trim() === '') break;
    const m = /^\s+([A-Za-z_]\w*)\s+(\S+)/.exec(line);
    if (!m) break;
    const value = parseValue(m[2]);
    if (m[1] === 'klineWndSize') klineWndSize = typeof value === 'number' ? value : null;
    else params[m[1]] = value;
  }
  return { params, klineWndSize };
}

/** A readable name for a template: its title (the docstring's first line, without the final period), or its file name. */
export function templateTitle(t: StrategyTemplate): string {
  const title = (t.name || t.file.replace(/\.py$/, '')).replace(/\.$/, '');
  return title.length > 60 ? title.slice(0, 57) + '…' : title;
}
