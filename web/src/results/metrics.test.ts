import { describe, expect, it } from 'vitest';
import { diffTone, formatMetric, humanize, metricEntries, metricLabel, metricTone } from './metrics';

describe('metric formatting', () => {
  it('shows rates as percentages, money with two decimals, counts as integers', () => {
    expect(formatMetric('profitRate', 0.04466, 'en')).toBe('+4.47%');
    expect(formatMetric('profitRate', -0.1, 'en')).toBe('-10.00%');
    expect(formatMetric('maxDrawdown', 0.2887, 'en')).toBe('28.87%');
    expect(formatMetric('finalBalance', 10446.655, 'en')).toBe('10,446.66');
    expect(formatMetric('profit', 446.66, 'en')).toBe('+446.66');
    expect(formatMetric('totalTrades', 377, 'en')).toBe('377');
    expect(formatMetric('baseAsset', 0.158539761, 'en')).toBe('0.15853976');
    expect(formatMetric('sharpe', 1.23456, 'en')).toBe('1.23');
    expect(formatMetric('avgHoldingHours', 30.25, 'en')).toBe('30.3 h');
  });

  it('shows nothing it cannot: null, NaN, infinities', () => {
    expect(formatMetric('sharpe', null, 'en')).toBe('—');
    expect(formatMetric('sharpe', NaN, 'en')).toBe('—');
    expect(formatMetric('profitFactor', Infinity, 'en')).toBe('∞');
  });

  it('guesses a format for unknown names from their endings', () => {
    expect(formatMetric('someRate', 0.5, 'en')).toBe('50.00%');
    expect(formatMetric('weirdHours', 2, 'en')).toBe('2 h');
    expect(formatMetric('mystery', 1234.5678, 'en')).toBe('1,234.57');
    expect(formatMetric('codeHash', 'ab12', 'en')).toBe('ab12');
  });

  it('labels known metrics in both languages and unknown ones by their name', () => {
    expect(metricLabel('maxDrawdown', 'en')).toBe('Max drawdown');
    expect(metricLabel('maxDrawdown', 'zh')).toBe('最大回撤');
    expect(metricLabel('klinesPerSecond', 'zh')).toBe('Klines per second');
    expect(humanize('dataQuality.gapCount')).toBe('Data quality · gap count');
  });

  it('colours signed metrics and differences by which way is better', () => {
    expect(metricTone('profit', 5)).toBe('up');
    expect(metricTone('profit', -5)).toBe('down');
    expect(metricTone('maxDrawdown', 0.3)).toBeNull();
    expect(diffTone('maxDrawdown', 0.01)).toBe('down');
    expect(diffTone('profitRate', 0.01)).toBe('up');
    expect(diffTone('totalFees', -3)).toBe('up');
    expect(diffTone('roundTrips', 3)).toBeNull();
  });
});

describe('metricEntries', () => {
  it('lists the result first in the contract\'s order, then every metric, nested blocks flattened', () => {
    const entries = metricEntries(
      { initialBalance: 10000, finalBalance: 10500, profit: 500, profitRate: 0.05, maxDrawdown: 0.1, totalTrades: 4, winRate: 0.5, baseAsset: 0, quoteAsset: 10500, baseFee: 0, quoteFee: 20, trades: [], equityCurve: [] },
      { zeta: 1, sharpe: 1.5, cagr: 0.2, dataQuality: { gaps: 2, klinesUsed: 8761 }, reproducibility: { codeHash: 'abc' }, list: [1, 2] },
    );
    expect(entries.map((e) => `${e.group}:${e.key}`)).toEqual([
      'result:profitRate',
      'result:profit',
      'result:finalBalance',
      'result:maxDrawdown',
      'result:winRate',
      'result:totalTrades',
      'result:initialBalance',
      'result:quoteAsset',
      'result:baseAsset',
      'result:quoteFee',
      'result:baseFee',
      'metrics:cagr',
      'metrics:sharpe',
      'metrics:dataQuality.klinesUsed',
      'metrics:dataQuality.gaps',
      'metrics:zeta',
      'metrics:reproducibility.codeHash',
    ]);
  });

  it('adds the run\'s other blocks as their own groups', () => {
    const entries = metricEntries({ profit: 1 }, { sharpe: 2 }, { dataQuality: { gaps: 21, klinesUsed: 48478 }, reproducibility: { codeSha256: 'ab12' }, empty: null });
    expect(entries.map((e) => `${e.group}:${e.key}=${e.value}`)).toEqual([
      'result:profit=1',
      'metrics:sharpe=2',
      'dataQuality:gaps=21',
      'dataQuality:klinesUsed=48478',
      'reproducibility:codeSha256=ab12',
    ]);
  });

  it('leaves out a metric that repeats a result field, and the nested copies in the other blocks', () => {
    const entries = metricEntries(
      { maxDrawdown: 0.0736999021805534, winRate: 0.38461538461538464, totalTrades: 26 },
      { maxDrawdown: 0.0736999021805534, winRate: 0.38461538461538464, totalTrades: 26.0, totalReturn: -0.031 },
      { reproducibility: { codeSha256: 'ab', strategyParams: { fast_period: 10 } } },
    );
    expect(entries.map((e) => `${e.group}:${e.key}`)).toEqual([
      'result:maxDrawdown',
      'result:winRate',
      'result:totalTrades',
      'metrics:totalReturn',
      'reproducibility:codeSha256',
    ]);
  });

  it('shortens hashes on the card', () => {
    expect(formatMetric('reproducibility.codeSha256', '79939514054897c492a67327b5981bd4780371ee8deed76f2683ae2a58585d26', 'en')).toBe('799395140548…');
  });

  it('has nothing to show before a run', () => {
    expect(metricEntries(null, null)).toEqual([]);
  });
});
