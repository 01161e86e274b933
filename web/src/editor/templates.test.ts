import { describe, expect, it } from 'vitest';
import { STARTER_TEMPLATE, templateParams } from './templates';

const MA_CROSS_HEAD = `"""
Moving-average cross.

strategyParams read (default):
    fast_period    10    closes in the fast SMA
    slow_period    30    closes in the slow SMA
    position_pct   0.95  share of the balance spent on an entry
    use_filter     True  a flag
    label          'x'   a string
    klineWndSize   50    (engine) klines kept in self.kline_cache
"""

class Strategy(IStrategy):
    pass
`;

describe('templateParams', () => {
  it('reads the parameters a template documents, klineWndSize apart', () => {
    expect(templateParams(MA_CROSS_HEAD)).toEqual({
      params: { fast_period: 10, slow_period: 30, position_pct: 0.95, use_filter: true, label: 'x' },
      klineWndSize: 50,
    });
  });

  it('finds none in code without the section', () => {
    expect(templateParams('class Strategy(IStrategy):\n    pass\n')).toEqual({ params: {}, klineWndSize: null });
  });

  it('reads the starter template', () => {
    expect(templateParams(STARTER_TEMPLATE.code)).toEqual({ params: { fast_period: 10, slow_period: 30 }, klineWndSize: 50 });
  });
});
