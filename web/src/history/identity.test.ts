import { describe, expect, it } from 'vitest';
import { changedParams, codeHash, docTitle, paramRows, parseTags, templateOf } from './identity';
import type { StrategyTemplate } from '../api/types';

const TPL: StrategyTemplate = {
  name: 'Moving-average cross.',
  file: 'ma_cross.py',
  description: '',
  code: `"""
Moving-average cross.

strategyParams read (default):
    fast_period    10    closes
    slow_period    30    closes
    klineWndSize   50    (engine)
"""
class Strategy(IStrategy):
    pass
`,
};

describe('run identity', () => {
  it('takes the docstring title as the server does', () => {
    expect(docTitle(TPL.code)).toBe('Moving-average cross.');
    expect(docTitle('"""One line."""\nclass S: pass')).toBe('One line.');
    expect(docTitle('class S(IStrategy):\n    pass')).toBeNull();
  });

  it('finds the template by name and lists only the parameters that differ from its defaults', () => {
    const tpl = templateOf('Moving-average cross.', [TPL]);
    expect(tpl).toBe(TPL);
    expect(templateOf('Something else', [TPL])).toBeNull();
    expect(changedParams({ fast_period: 10, slow_period: 50, klineWndSize: 50 }, tpl)).toEqual([{ key: 'slow_period', value: 50, default: 30 }]);
    expect(changedParams({ fast_period: 10, slow_period: 30, klineWndSize: 80, extra: 'x' }, tpl)).toEqual([
      { key: 'klineWndSize', value: 80, default: 50 },
      { key: 'extra', value: 'x' },
    ]);
    // without a template every parameter is listed
    expect(changedParams({ a: 1 }, null)).toEqual([{ key: 'a', value: 1 }]);
  });

  it('shortens the code hash, splits tags, and sets two runs’ parameters side by side', () => {
    expect(codeHash({ reproducibility: { codeSha256: '0123456789abcdef' } })).toBe('01234567');
    expect(codeHash({ reproducibility: null })).toBeNull();
    expect(parseTags(' trend, btc 1h ,, trend ')).toEqual(['trend', 'btc 1h']);
    expect(paramRows({ a: 1, b: 2 }, { b: 3, c: 4 })).toEqual([
      { key: 'a', a: 1, b: undefined, differs: true },
      { key: 'b', a: 2, b: 3, differs: true },
      { key: 'c', a: undefined, b: 4, differs: true },
    ]);
    expect(paramRows({ a: 1 }, { a: 1 })[0].differs).toBe(false);
  });
});
