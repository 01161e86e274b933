import { useCallback, useEffect, useState } from 'react';
import { ApiError, type Client } from '../api/client';
import { shortId, type RunSummary } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { formatMetric } from '../results/metrics';
import { formatUtc } from '../config/time';

export interface HistoryPanelProps {
  client: Pick<Client, 'listBacktests'>;
  /** Bumped when a run ends, so the list shows it. */
  refreshSeq: number;
  currentId: string | null;
  selected: string[];
  onToggle(id: string): void;
  onOpen(id: string): void;
  onCompare(): void;
}

const num = (v: unknown) => (typeof v === 'number' ? v : null);

/** Past runs, newest first, twenty at a time, with their key numbers; open one or tick two to compare. */
export function HistoryPanel({ client, refreshSeq, currentId, selected, onToggle, onOpen, onCompare }: HistoryPanelProps) {
  const { t, lang } = useI18n();
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [state, setState] = useState<'loading' | 'ok' | 'unavailable' | 'error'>('loading');
  const [message, setMessage] = useState('');

  const load = useCallback(
    async (before: string | null) => {
      setState('loading');
      try {
        const page = await client.listBacktests({ limit: 20, before });
        setRuns((old) => (before ? old.concat(page.runs) : page.runs));
        setNext(page.next);
        setState('ok');
      } catch (e) {
        if (e instanceof ApiError && (e.status === 404 || e.status === 405)) setState('unavailable');
        else {
          setState('error');
          setMessage(e instanceof Error ? e.message : String(e));
        }
      }
    },
    [client],
  );

  useEffect(() => {
    void load(null);
  }, [load, refreshSeq]);

  return (
    <section className="history" aria-labelledby="history-title">
      <div className="toolbar">
        <h2 id="history-title">{t('history.title')}</h2>
        <button type="button" className="btn small" onClick={() => void load(null)}>
          {t('history.refresh')}
        </button>
        <button type="button" className="btn small primary" disabled={selected.length !== 2} onClick={onCompare} data-testid="compare-button">
          {t('history.compare', { count: selected.length })}
        </button>
      </div>
      {state === 'unavailable' && <p className="empty">{t('history.unavailable')}</p>}
      {state === 'error' && <p className="field-error">{message}</p>}
      {state !== 'unavailable' && runs.length === 0 && state === 'ok' && <p className="empty">{t('history.none')}</p>}
      <ul className="run-list" data-testid="history-list">
        {runs.map((r) => {
          const result = (r.result ?? {}) as Record<string, unknown>;
          const isSelected = selected.includes(r.id);
          return (
            <li key={r.id} className={`run-row${r.id === currentId ? ' current' : ''}`} data-run-id={r.id}>
              <input type="checkbox" checked={isSelected} disabled={!isSelected && selected.length >= 2} onChange={() => onToggle(r.id)} aria-label={t('history.select', { id: shortId(r.id) })} title={r.id} />
              <button type="button" className="run-open" onClick={() => onOpen(r.id)} aria-label={`${t('history.open')} #${r.id}`}>
                <span className={`badge ${r.status}`}>{t(`run.status.${r.status}`)}</span>
                <span className="run-title">
                  #{shortId(r.id)} {r.request?.symbol} {r.request?.interval}
                </span>
                <span className="run-time muted">{r.createdAt ? formatUtc(Date.parse(r.createdAt)) : ''}</span>
                <span className="run-nums">
                  <span className={num(result.profitRate) == null ? '' : (num(result.profitRate) as number) >= 0 ? 'up' : 'down'}>{formatMetric('profitRate', num(result.profitRate), lang)}</span>
                  <span title="max drawdown">DD {formatMetric('maxDrawdown', num(result.maxDrawdown), lang)}</span>
                  <span>{formatMetric('totalTrades', num(result.totalTrades), lang)} ⇄</span>
                  <span title="win rate">W {formatMetric('winRate', num(result.winRate), lang)}</span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {next && (
        <button type="button" className="btn small" disabled={state === 'loading'} onClick={() => void load(next)}>
          {t('history.more')}
        </button>
      )}
    </section>
  );
}
