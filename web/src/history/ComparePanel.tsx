import { useEffect, useMemo, useRef, useState } from 'react';
import { LineSeries, createChart, type IChartApi, type UTCTimestamp } from 'lightweight-charts';
import type { Client } from '../api/client';
import { shortId, type EquitySeries, type Run } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { diffTone, formatMetric, metricEntries, metricLabel } from '../results/metrics';
import { equityPoints } from '../chart/EquityChart';
import { COLORS, baseChartOptions } from '../chart/theme';
import { LIMITS } from '../app/limits';
import { CodeDiff } from './CodeDiff';
import { paramRows } from './identity';

/** The request fields compared beside the parameters (the code has its own diff). */
const SETTINGS = ['symbol', 'interval', 'startTime', 'endTime', 'initialBalance', 'feeRate', 'market', 'leverage', 'marginMode', 'fill', 'slippage', 'makerFee', 'takerFee', 'intrabar'] as const;

const shown = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

interface Loaded {
  run: Run;
  equity: EquitySeries | null;
}

/** Keys of both runs' numbers, in the order the first run lists them, then the second's extras. */
export function compareRows(a: Run, b: Run) {
  const ea = metricEntries(a.result, a.metrics, { dataQuality: a.dataQuality });
  const eb = metricEntries(b.result, b.metrics, { dataQuality: b.dataQuality });
  const keys: string[] = [];
  for (const e of [...ea, ...eb]) if (!keys.includes(`${e.group}:${e.key}`)) keys.push(`${e.group}:${e.key}`);
  const find = (list: typeof ea, gk: string) => list.find((e) => `${e.group}:${e.key}` === gk)?.value;
  return keys.map((gk) => {
    const key = gk.slice(gk.indexOf(':') + 1);
    const va = find(ea, gk);
    const vb = find(eb, gk);
    const diff = typeof va === 'number' && typeof vb === 'number' ? vb - va : null;
    return { key: gk.startsWith('dataQuality:') ? `dataQuality.${key}` : key, a: va, b: vb, diff };
  });
}

const signed = (text: string, v: number) => (v > 0 && !text.startsWith('+') ? `+${text}` : text);

/** Two runs side by side: equity curves overlaid (as % when their balances differ), every metric in a table. */
export function ComparePanel({ client, ids, onClose }: { client: Pick<Client, 'getBacktest' | 'equity'>; ids: [string, string]; onClose(): void }) {
  const { t, lang } = useI18n();
  const [loaded, setLoaded] = useState<[Loaded, Loaded] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);

  useEffect(() => {
    let alive = true;
    setLoaded(null);
    Promise.all(ids.map(async (id) => ({ run: await client.getBacktest(id), equity: await client.equity(id, LIMITS.equityMaxPoints).catch(() => null) })))
      .then((pair) => alive && setLoaded(pair as [Loaded, Loaded]))
      .catch((e) => alive && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      alive = false;
    };
  }, [client, ids]);

  const normalised = useMemo(() => {
    if (!loaded) return false;
    return loaded[0].run.request.initialBalance !== loaded[1].run.request.initialBalance;
  }, [loaded]);

  useEffect(() => {
    if (!loaded || !host.current) return;
    const c = createChart(host.current, baseChartOptions());
    chart.current = c;
    loaded.forEach(({ run, equity }, i) => {
      if (!equity) return;
      const p = equityPoints(equity);
      const base = run.request.initialBalance;
      const s = c.addSeries(LineSeries, {
        color: i === 0 ? COLORS.compareA : COLORS.compareB,
        lineWidth: 2,
        title: `${i === 0 ? 'A' : 'B'} ${run.name ?? ''} #${shortId(run.id)}`,
        priceFormat: normalised ? { type: 'custom', formatter: (v: number) => `${v.toFixed(2)}%` } : { type: 'price', precision: 2, minMove: 0.01 },
      });
      s.setData(p.times.map((time, j) => ({ time: time as UTCTimestamp, value: normalised ? (p.equity[j] / base - 1) * 100 : p.equity[j] })));
    });
    c.timeScale().fitContent();
    host.current.dataset.series = String(loaded.filter((l) => l.equity).length);
    return () => {
      c.remove();
      chart.current = null;
    };
  }, [loaded, normalised]);

  const rows = loaded ? compareRows(loaded[0].run, loaded[1].run) : [];
  return (
    <section className="compare" aria-labelledby="compare-title" data-testid="compare-panel">
      <div className="toolbar">
        <h2 id="compare-title">{t('compare.title')}</h2>
        <button type="button" className="btn small" onClick={onClose}>
          {t('compare.close')}
        </button>
      </div>
      {error && <p className="field-error">{error}</p>}
      {normalised && <p className="muted">{t('compare.normalised')}</p>}
      <div className="chart-host compare-chart" ref={host} role="img" aria-label={t('compare.equity')} data-testid="compare-chart" />
      {loaded && (
        <table className="compare-table">
          <thead>
            <tr>
              <th>{t('compare.metric')}</th>
              {loaded.map(({ run }, i) => (
                <th key={run.id} className="num">
                  <span className={i === 0 ? 'swatch a' : 'swatch b'} /> {i === 0 ? 'A' : 'B'} {run.name ?? ''} #{shortId(run.id)}
                  <div className="muted small">
                    {run.request.symbol} {run.request.interval}
                  </div>
                </th>
              ))}
              <th className="num">{t('compare.diff')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-metric={r.key}>
                <td>{metricLabel(r.key, lang)}</td>
                <td className="num">{formatMetric(r.key, r.a ?? null, lang)}</td>
                <td className="num">{formatMetric(r.key, r.b ?? null, lang)}</td>
                <td className={`num ${diffTone(r.key, r.diff) ?? ''}`}>{r.diff == null ? '' : signed(formatMetric(r.key, r.diff, lang), r.diff)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {loaded && (
        <>
          <h3>{t('compare.params')}</h3>
          <table className="compare-table params-table" data-testid="compare-params">
            <thead>
              <tr>
                <th>{t('compare.setting')}</th>
                <th>A</th>
                <th>B</th>
              </tr>
            </thead>
            <tbody>
              {[
                ...SETTINGS.map((k) => {
                  const a = loaded[0].run.request[k];
                  const b = loaded[1].run.request[k];
                  return { key: k, a, b, differs: JSON.stringify(a) !== JSON.stringify(b) };
                }).filter((r) => r.a !== undefined || r.b !== undefined),
                ...paramRows(loaded[0].run.request.strategyParams, loaded[1].run.request.strategyParams).map((r) => ({ ...r, key: `params.${r.key}` })),
              ].map((r) => (
                <tr key={r.key} className={r.differs ? 'differs' : ''} data-param={r.key} data-differs={r.differs}>
                  <td>{r.key}</td>
                  <td className="mono">{shown(r.a)}</td>
                  <td className="mono">{shown(r.b)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t('compare.code')}</h3>
          <CodeDiff a={loaded[0].run.request.code ?? ''} b={loaded[1].run.request.code ?? ''} />
        </>
      )}
    </section>
  );
}
