import { describe, expect, it } from 'vitest';
import { EditorState } from '@codemirror/state';
import { CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { python } from '@codemirror/lang-python';
import { strategyCompletionSource } from './completion';

function complete(doc: string, explicit = false): CompletionResult | null {
  const pos = doc.indexOf('|');
  const text = doc.replace('|', '');
  const state = EditorState.create({ doc: text, extensions: [python()] });
  return strategyCompletionSource(() => 'en')(new CompletionContext(state, pos, explicit)) as CompletionResult | null;
}

const labels = (r: CompletionResult | null) => r?.options.map((o) => o.label) ?? [];

describe('strategy API completion', () => {
  it('offers the account\'s methods after context.', () => {
    const r = complete('def run(self, context, kline, params):\n    context.|');
    expect(labels(r)).toEqual(expect.arrayContaining(['buy', 'sell', 'sell_all', 'get_equity', 'get_avg_position_price', 'balance', 'position']));
    expect(r?.from).toBe('def run(self, context, kline, params):\n    context.'.length);
  });

  it('offers the orders and futures API after context.', () => {
    const r = complete('def run(self, context, kline, params):\n    context.set_|');
    expect(labels(r)).toEqual(expect.arrayContaining(['set_stop_loss', 'set_take_profit', 'set_trailing_stop']));
    expect(labels(complete('context.|'))).toEqual(expect.arrayContaining(['order', 'cancel', 'open_orders', 'close_position',
      'leverage', 'margin_used', 'liquidation_price', 'funding_paid', 'unrealized_pnl']));
  });

  it('offers the kline\'s fields after kline.', () => {
    expect(labels(complete('x = kline.cl|'))).toEqual(expect.arrayContaining(['close', 'close_time', 'open', 'volume']));
  });

  it('offers the cache\'s methods after self.kline_cache.', () => {
    expect(labels(complete('closes = self.kline_cache.|'))).toEqual(expect.arrayContaining(['get_closes', 'get_highs', 'is_full']));
  });

  it('offers enum members after OrderType.', () => {
    expect(labels(complete('t = OrderType.|'))).toEqual(['BUY', 'SELL']);
  });

  it('offers indicators and API classes as global names', () => {
    const names = labels(complete('rsi = calc|'));
    expect(names).toEqual(expect.arrayContaining(['calculate_sma', 'calculate_ema', 'calculate_rsi', 'calculate_macd', 'IStrategy', 'Decimal', 'Strategy']));
  });

  it('stays quiet inside strings and comments, and after unknown receivers', () => {
    expect(complete("s = 'context.|'")).toBeNull();
    expect(complete('# context.|')).toBeNull();
    expect(complete('foo.|')).toBeNull();
  });

  it('carries the documentation in the chosen language', () => {
    const zh = strategyCompletionSource(() => 'zh');
    const state = EditorState.create({ doc: 'context.', extensions: [python()] });
    const r = zh(new CompletionContext(state, 8, false)) as CompletionResult;
    expect(String(r.options.find((o) => o.label === 'buy')?.info)).toMatch(/买入/);
  });
});
