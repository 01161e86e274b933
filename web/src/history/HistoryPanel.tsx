import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError, type Client } from '../api/client';
import { isTerminal, shortId, type RunSummary, type StrategyTemplate } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { formatMetric } from '../results/metrics';
import { formatUtc } from '../config/time';
import { changedParams, codeHash, formatParam, parseTags, templateOf } from './identity';

export interface HistoryPanelProps {
  client: Pick<Client, 'listBacktests'> & Partial<Pick<Client, 'labelBacktest' | 'deleteBacktest'>>;
  /** The server's templates: a run made from one lists only the parameters that differ from its defaults. */
  templates?: StrategyTemplate[];
  /** Bumped to read the list again. */
  refreshSeq?: number;
  currentId: string | null;
  selected: string[];
  onToggle(id: string): void;
  onOpen(id: string): void;
  onCompare(): void;
  /** A run was deleted (the page forgets it where it kept it). */
  onDeleted?(id: string): void;
}

const num = (v: unknown) => (typeof v === 'number' ? v : null);

/**
 * Past runs, newest first, twenty at a time: each with its name and tags, the parameters that differ from its
 * template's defaults and a short hash of its code, its key numbers; rename, tag, delete, open, or tick two to
 * compare.
 */
export function HistoryPanel({ client, templates = [], refreshSeq = 0, currentId, selected, onToggle, onOpen, onCompare, onDeleted }: HistoryPanelProps) {
  const { t, lang } = useI18n();
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [state, setState] = useState<'loading' | 'ok' | 'unavailable' | 'error'>('loading');
  const [message, setMessage] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [rowError, setRowError] = useState<{ id: string; message: string } | null>(null);

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

  const save = async (r: RunSummary, e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const name = String(data.get('name') ?? '').trim();
    const tags = parseTags(String(data.get('tags') ?? ''));
    try {
      const updated = await client.labelBacktest!(r.id, { name: name === '' ? null : name, tags });
      setRuns((list) => list.map((x) => (x.id === r.id ? { ...x, name: updated.name, nameIsDefault: updated.nameIsDefault, tags: updated.tags } : x)));
      setEditing(null);
      setRowError(null);
    } catch (err) {
      setRowError({ id: r.id, message: err instanceof Error ? err.message : String(err) });
    }
  };

  const remove = async (r: RunSummary) => {
    if (!window.confirm(t('history.deleteConfirm', { name: r.name ?? shortId(r.id) }))) return;
    try {
      await client.deleteBacktest!(r.id);
      setRuns((list) => list.filter((x) => x.id !== r.id));
      if (selected.includes(r.id)) onToggle(r.id);
      onDeleted?.(r.id);
      setRowError(null);
    } catch (err) {
      setRowError({ id: r.id, message: err instanceof Error ? err.message : String(err) });
    }
  };

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
          const changes = changedParams(r.request?.strategyParams, templateOf(r.name, templates));
          const hash = codeHash(r);
          const ended = isTerminal(r.status);
          return (
            <li key={r.id} className={`run-row${r.id === currentId ? ' current' : ''}`} data-run-id={r.id}>
              <input type="checkbox" checked={isSelected} disabled={!isSelected && selected.length >= 2} onChange={() => onToggle(r.id)} aria-label={t('history.select', { id: shortId(r.id) })} title={r.id} />
              <button type="button" className="run-open" onClick={() => onOpen(r.id)} aria-label={`${t('history.open')} #${r.id}`}>
                <span className={`badge ${r.status}`}>{t(`run.status.${r.status}`)}</span>
                <span className="run-ident">
                  <span className="run-title" data-testid="run-title">
                    {r.name ?? ''} <span className="muted">#{shortId(r.id)}</span>
                  </span>
                  <span className="run-sub muted">
                    {r.request?.symbol} {r.request?.interval}
                    {hash && <span title={t('history.codeHash')} data-testid="code-hash"> · {hash}</span>}
                    {(r.tags ?? []).map((tag) => (
                      <span key={tag} className="tag" data-testid="tag">
                        {tag}
                      </span>
                    ))}
                  </span>
                  <span className="run-params" data-testid="run-params" title={t('history.paramsHint')}>
                    {changes.length ? changes.map(formatParam).join(' ') : t('history.defaults')}
                  </span>
                </span>
                <span className="run-time muted">{r.createdAt ? formatUtc(Date.parse(r.createdAt)) : ''}</span>
                <span className="run-nums">
                  <span className={num(result.profitRate) == null ? '' : (num(result.profitRate) as number) >= 0 ? 'up' : 'down'}>{formatMetric('profitRate', num(result.profitRate), lang)}</span>
                  <span title="max drawdown">DD {formatMetric('maxDrawdown', num(result.maxDrawdown), lang)}</span>
                  <span>{formatMetric('totalTrades', num(result.totalTrades), lang)} ⇄</span>
                  <span title="win rate">W {formatMetric('winRate', num(result.winRate), lang)}</span>
                </span>
              </button>
              {client.labelBacktest && (
                <button type="button" className="btn small" onClick={() => setEditing((x) => (x === r.id ? null : r.id))} aria-expanded={editing === r.id} data-testid="rename" aria-label={t('history.renameLabel', { id: shortId(r.id) })}>
                  {t('history.rename')}
                </button>
              )}
              {client.deleteBacktest && (
                <button type="button" className="btn small danger" disabled={!ended} title={ended ? undefined : t('history.deleteRunning')} onClick={() => void remove(r)} data-testid="delete" aria-label={t('history.deleteLabel', { id: shortId(r.id) })}>
                  {t('history.delete')}
                </button>
              )}
              {editing === r.id && (
                <form className="run-edit" onSubmit={(e) => void save(r, e)} data-testid="label-form">
                  <label>
                    <span className="muted">{t('history.name')}</span>
                    <input name="name" defaultValue={r.nameIsDefault ? '' : (r.name ?? '')} placeholder={r.nameIsDefault ? r.name : ''} maxLength={100} />
                  </label>
                  <label>
                    <span className="muted">{t('history.tags')}</span>
                    <input name="tags" defaultValue={(r.tags ?? []).join(', ')} placeholder={t('history.tagsHint')} />
                  </label>
                  <button type="submit" className="btn small primary">
                    {t('history.save')}
                  </button>
                  <button type="button" className="btn small" onClick={() => setEditing(null)}>
                    {t('history.cancel')}
                  </button>
                </form>
              )}
              {rowError?.id === r.id && (
                <p className="field-error row-error" role="alert">
                  {rowError.message}
                </p>
              )}
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
