import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createClient, type Client } from '../api/client';
import { shortId, type StrategyTemplate } from '../api/types';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { ConfigPanel } from '../config/ConfigPanel';
import { DEFAULT_FORM, formFieldOf, formFromRequest, validateForm, type ConfigForm, type FormErrors } from '../config/validate';
import { fromInputValue, presetRange, toInputValue } from '../config/time';
import { StrategyEditor, type CodeFailure, type EditorHandle } from '../editor/StrategyEditor';
import { ApiReference } from '../editor/ApiReference';
import { STARTER_TEMPLATE, templateParams, templateTitle } from '../editor/templates';
import { PriceChart } from '../chart/PriceChart';
import { EquityChart } from '../chart/EquityChart';
import { ChartSync } from '../chart/sync';
import { useKlineWindow, useSeriesBounds, type ChartSubject } from '../chart/useKlineWindow';
import { MetricCards } from '../results/MetricCards';
import { TradeList } from '../results/TradeList';
import { RunListsPanel } from '../results/RunLists';
import { OutputPane } from '../results/OutputPane';
import { HistoryPanel } from '../history/HistoryPanel';
import { ComparePanel } from '../history/ComparePanel';
import { useBacktest, type Phase } from '../run/useBacktest';
import { storage } from './storage';

type Tab = 'metrics' | 'trades' | 'history' | 'compare';

const ACTIVE: Phase[] = ['starting', 'queued', 'running'];

function initialForm(): ConfigForm {
  return { ...DEFAULT_FORM, ...(storage.loadForm<ConfigForm>() ?? {}) };
}

export function App({ client: given }: { client?: Client }) {
  const { t, lang, setLang } = useI18n();
  const client = useMemo(() => given ?? createClient(), [given]);
  const editor = useRef<EditorHandle>(null);
  const sync = useMemo(() => new ChartSync(), []);

  const [symbols, setSymbols] = useState<string[]>([]);
  const [intervals, setIntervals] = useState<string[]>(['1m', '5m', '15m', '1h', '4h', '1d']);
  const [templates, setTemplates] = useState<StrategyTemplate[]>([STARTER_TEMPLATE]);
  const [form, setForm] = useState<ConfigForm>(initialForm);
  const [initialCode] = useState(() => storage.loadCode() ?? STARTER_TEMPLATE.code);
  const [code, setCode] = useState(initialCode);
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FormErrors>({});
  const [failure, setFailure] = useState<CodeFailure | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('metrics');
  const [showReference, setShowReference] = useState(false);
  const [historySeq, setHistorySeq] = useState(0);
  const [selected, setSelected] = useState<string[]>([]);
  const [compareIds, setCompareIds] = useState<[string, string] | null>(null);
  const [focus, setFocus] = useState<{ time: number; seq: number } | null>(null);
  const [fitSeq, setFitSeq] = useState(0);
  const [equityFitSeq, setEquityFitSeq] = useState(0);
  const [follow, setFollow] = useState(true);

  const { view, start, stop, open, dismissProblem, clearLogs } = useBacktest(client, {
    onEnded: () => setHistorySeq((n) => n + 1),
  });
  const active = ACTIVE.includes(view.phase);

  // --- lists from the server
  useEffect(() => {
    client.symbols().then(setSymbols).catch(() => setSymbols([]));
    client.intervals().then(setIntervals).catch(() => undefined);
    client
      .strategies()
      .then((list) => list.length && setTemplates(list.concat(STARTER_TEMPLATE)))
      .catch(() => undefined);
  }, [client]);

  useEffect(() => {
    if (!form.symbol && symbols.length) setForm((f) => ({ ...f, symbol: symbols.includes('BTCUSDT') ? 'BTCUSDT' : symbols[0] }));
  }, [symbols, form.symbol]);

  // --- persistence
  useEffect(() => storage.saveForm(form), [form]);
  useEffect(() => {
    const timer = setTimeout(() => storage.saveCode(code), 300);
    return () => clearTimeout(timer);
  }, [code]);
  useEffect(() => {
    const save = () => storage.saveCode(editor.current?.getCode() ?? code);
    window.addEventListener('beforeunload', save);
    return () => window.removeEventListener('beforeunload', save);
  }, [code]);

  // reopen the run shown before the reload
  useEffect(() => {
    const last = storage.loadLastRun();
    if (last) void open(last).then((run) => run || storage.saveLastRun(null));
    // once, on load
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => {
    if (view.run?.id) storage.saveLastRun(view.run.id);
  }, [view.run?.id]);

  // --- the run's failure, pinned to its line
  useEffect(() => {
    if (view.phase === 'failed' && view.error) {
      const message = `${view.error.type ? view.error.type + ': ' : ''}${view.error.message}`;
      setFailure(view.error.line ? { line: view.error.line, message } : null);
    }
  }, [view.phase, view.error]);

  // --- validation (live; the code is only judged once Run was pressed)
  const validation = useMemo(() => validateForm(form, code), [form, code]);
  const errors: FormErrors = { ...validation.errors, ...serverErrors };
  if (!submitted) delete errors.code;

  const formBounds = useSeriesBounds(client, form.symbol || null, form.interval || null);
  // a first visit, or a series whose data lies outside the chosen range, starts with the series' last year
  useEffect(() => {
    if (formBounds?.state !== 'ok') return;
    const s = form.start ? fromInputValue(form.start) : NaN;
    const e = form.end ? fromInputValue(form.end) : NaN;
    const blank = !form.start && !form.end;
    const outside = (!Number.isNaN(s) && s > formBounds.last) || (!Number.isNaN(e) && e < formBounds.first);
    if (blank || outside) {
      const r = presetRange('1y', formBounds);
      setForm((f) => ({ ...f, start: toInputValue(r.start), end: toInputValue(r.end) }));
    }
  }, [formBounds, form.start, form.end]);
  const runRequest = view.run?.request ?? null;
  const runBounds = useSeriesBounds(client, runRequest?.symbol ?? null, runRequest?.interval ?? null);

  // --- what the chart shows: the run's range, or the form's before any run
  const subject: ChartSubject | null = useMemo(() => {
    if (runRequest) {
      if (runBounds?.state !== 'ok') return null;
      const from = runRequest.startTime ? Math.max(runBounds.first, Date.parse(runRequest.startTime)) : runBounds.first;
      const to = runRequest.endTime ? Math.min(runBounds.last, Date.parse(runRequest.endTime)) : runBounds.last;
      return to >= from ? { symbol: runRequest.symbol, interval: runRequest.interval, fromMs: from, toMs: to } : null;
    }
    if (formBounds?.state !== 'ok') return null;
    const s = form.start ? fromInputValue(form.start) : formBounds.first;
    const e = form.end ? fromInputValue(form.end) : formBounds.last;
    const from = Math.max(s, formBounds.first);
    const to = Math.min(e, formBounds.last);
    if (Number.isNaN(from) || Number.isNaN(to) || to < from) return null;
    return { symbol: form.symbol, interval: form.interval, fromMs: from, toMs: to };
  }, [runRequest, runBounds, form.symbol, form.interval, form.start, form.end, formBounds]);
  const klines = useKlineWindow(client, subject);

  // follow the newest fill while the run goes on: jump the window there when it runs off the loaded candles
  const lastFill = view.fills.length ? Date.parse(view.fills[view.fills.length - 1].timestamp) : null;
  useEffect(() => {
    if (!active || !follow || lastFill == null || !klines.win) return;
    const w = klines.win;
    const range = sync.lastRange;
    if (w.last != null && w.first != null && lastFill >= w.first && lastFill < w.last + w.barMs) {
      if (range && (lastFill < range.from || lastFill > range.to)) setFocus((f) => ({ time: lastFill, seq: (f?.seq ?? 0) + 1 }));
      return;
    }
    void klines.ensure(lastFill).then((changed) => changed && setFocus((f) => ({ time: lastFill, seq: (f?.seq ?? 0) + 1 })));
  }, [active, follow, lastFill, klines, sync]);

  // a run that ends is shown whole (as far as its candles are loaded)
  useEffect(() => {
    if (view.phase === 'succeeded' || view.phase === 'failed' || view.phase === 'cancelled') setFitSeq((n) => n + 1);
  }, [view.phase]);

  const jumpTo = useCallback(
    async (time: number) => {
      await klines.ensure(time);
      setFocus((f) => ({ time, seq: (f?.seq ?? 0) + 1 }));
    },
    [klines],
  );

  // --- actions
  const run = useCallback(async () => {
    setSubmitted(true);
    setServerErrors({});
    setFailure(null);
    const currentCode = editor.current?.getCode() ?? code;
    const { request, errors: errs } = validateForm(form, currentCode);
    if (!request) {
      setNotice(errs.code ? t(errs.code.key) : t('err.fixFirst'));
      return;
    }
    setNotice(null);
    setTab('metrics');
    storage.saveCode(currentCode);
    await start(request);
  }, [code, form, start, t]);

  const runOrStop = useCallback(() => {
    if (active) void stop();
    else void run();
  }, [active, run, stop]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.defaultPrevented) {
        e.preventDefault();
        runOrStop();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [runOrStop]);

  // a 400 that names a field: show it there
  useEffect(() => {
    const p = view.problem;
    if (!p) return;
    const field = formFieldOf(p.field);
    if (field) setServerErrors({ [field]: { key: 'run.fieldError', vars: { field: p.field ?? '', message: p.message } } });
  }, [view.problem]);

  const loadTemplate = (file: string) => {
    const tpl = templates.find((x) => x.file === file);
    if (!tpl) return;
    editor.current?.setCode(tpl.code);
    setCode(tpl.code);
    const { params, klineWndSize } = templateParams(tpl.code);
    setForm((f) => ({ ...f, paramsJson: JSON.stringify(params, null, 2), klineWndSize: klineWndSize != null ? String(klineWndSize) : f.klineWndSize }));
    setFailure(null);
    setNotice(t('editor.templateLoaded', { name: templateTitle(tpl) }));
  };

  const openRun = async (id: string) => {
    setCompareIds(null);
    setFailure(null);
    await open(id);
    setTab('metrics');
  };

  const loadRunCode = () => {
    const req = view.run?.request;
    if (!req?.code) return;
    editor.current?.setCode(req.code);
    setCode(req.code);
    setForm(formFromRequest(req));
  };

  const phaseLabel = t(`run.status.${view.phase === 'starting' ? 'queued' : view.phase === 'idle' ? 'idle' : view.phase}` as MessageKey);
  const runId = view.run?.id ?? null;
  const result = view.run?.result ?? null;

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            ▮▯
          </span>
          <strong>{t('app.title')}</strong>
          <span className="muted tagline">{t('app.tagline')}</span>
        </div>
        <div className="run-status" aria-live="polite">
          <span className={`badge ${view.phase}`} data-testid="run-status" data-status={view.phase} data-run-id={runId ?? ''}>
            {phaseLabel}
          </span>
          {runId && (
            <span className="muted" title={runId}>
              #{shortId(runId)}
            </span>
          )}
          <progress max={1} value={view.progress} aria-label={t('run.progress')} data-testid="progress" />
          <span className="muted pct">{Math.round(view.progress * 100)}%</span>
          {runId && view.phase === 'succeeded' && (
            <a className="btn small" href={client.reportUrl(runId)} target="_blank" rel="noopener" data-testid="report-link">
              {t('run.report')}
            </a>
          )}
        </div>
        <div className="actions">
          <button
            type="button"
            className={`btn run-button ${active ? 'stop' : 'primary'}`}
            onClick={runOrStop}
            title={t('run.shortcut')}
            aria-keyshortcuts="Control+Enter Meta+Enter"
            data-testid="run-button"
          >
            {active ? (view.stopping ? t('run.stopping') : `■ ${t('run.stop')}`) : `▶ ${t('run.run')}`}
            <kbd>{t('run.shortcut')}</kbd>
          </button>
          <button type="button" className="btn" onClick={() => setShowReference(true)} data-testid="reference-button">
            {t('nav.reference')}
          </button>
          <button type="button" className="btn" onClick={() => setLang(lang === 'en' ? 'zh' : 'en')} aria-label={t('lang.toggleLabel')} data-testid="lang-toggle">
            {t('lang.toggle')}
          </button>
        </div>
      </header>

      {(notice || view.problem || view.lost) && (
        <div className={`banner ${view.problem || view.lost ? 'error' : 'info'}`} role={view.problem ? 'alert' : 'status'} data-testid="notice">
          <span>
            {view.problem
              ? view.problem.retryAfter != null && view.problem.status != null && [429, 503].includes(view.problem.status)
                ? t('run.busy', { seconds: Math.ceil(view.problem.retryAfter) })
                : view.problem.message
              : view.lost
                ? t('run.lost')
                : notice}
          </span>
          <button
            type="button"
            className="btn small"
            onClick={() => {
              setNotice(null);
              dismissProblem();
            }}
          >
            {t('common.dismiss')}
          </button>
        </div>
      )}

      <main className="layout">
        <aside className="col-config">
          <ConfigPanel
            form={form}
            onChange={(patch) => {
              setForm((f) => ({ ...f, ...patch }));
              setServerErrors({});
            }}
            errors={errors}
            symbols={symbols}
            intervals={intervals}
            bounds={formBounds}
            disabled={active}
          />
        </aside>

        <section className="col-editor" aria-label={t('editor.title')}>
          <div className="toolbar">
            <label htmlFor="template-picker" className="muted">
              {t('editor.template')}
            </label>
            <select id="template-picker" value="" onChange={(e) => loadTemplate(e.target.value)} data-testid="template-picker">
              <option value="">{t('editor.templatePick')}</option>
              {templates.map((tpl) => (
                <option key={tpl.file} value={tpl.file} title={tpl.description}>
                  {tpl === STARTER_TEMPLATE ? t('editor.blank') : templateTitle(tpl)}
                </option>
              ))}
            </select>
            <button type="button" className="btn small" onClick={() => setShowReference(true)}>
              {t('nav.reference')}
            </button>
            {view.run?.request?.code && view.run.request.code !== code && (
              <button type="button" className="btn small" onClick={loadRunCode}>
                {t('history.loadCode')}
              </button>
            )}
            <span className="muted saved" title={t('editor.saved')}>
              ● {t('editor.savedShort')}
            </span>
          </div>
          {(failure || (view.phase === 'failed' && view.error)) && (
            <div className="failure" role="alert" data-testid="run-error">
              {view.error?.line != null && (
                <button type="button" className="btn small" onClick={() => editor.current?.goToLine(view.error!.line!)} aria-label={t('editor.goToLine', { line: view.error.line })}>
                  {t('editor.failedAt', { line: view.error.line })}
                </button>
              )}
              <span className="failure-message">{failure?.message ?? `${view.error?.type ?? ''}: ${view.error?.message ?? ''}`}</span>
            </div>
          )}
          {submitted && errors.code && (
            <p className="field-error" role="alert">
              {t(errors.code.key)}
            </p>
          )}
          <div className="editor-box">
            <StrategyEditor ref={editor} initialCode={initialCode} onChange={setCode} failure={failure} onRun={runOrStop} lang={lang} label={t('editor.label')} />
          </div>
          <OutputPane logs={view.logs} onClear={clearLogs} />
        </section>

        <section className="col-results" aria-label={t('tabs.results')}>
          <div className="chart-toolbar toolbar">
            <span className="muted">
              {subject ? `${subject.symbol} · ${subject.interval}` : t('chart.empty')}
              {klines.loading && ` · ${t('chart.loading')}`}
              {klines.win && !klines.win.isWhole && ` · ${t('chart.window', { count: klines.candles.length.toLocaleString(), total: klines.win.estimatedCount.toLocaleString() })}`}
            </span>
            {klines.error && <span className="field-error">{klines.error}</span>}
            <span className="spacer" />
            <label className="check">
              <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} aria-label={t('chart.followLabel')} /> {t('chart.follow')}
            </label>
            <button
              type="button"
              className="btn small"
              onClick={() => {
                setFitSeq((n) => n + 1);
                setEquityFitSeq((n) => n + 1);
              }}
              aria-label={t('chart.fitLabel')}
            >
              {t('chart.fit')}
            </button>
          </div>
          <div className="charts">
            <div className="pane-candles">
              <PriceChart
                candles={klines.candles}
                barMs={klines.win?.barMs ?? 60_000}
                fills={view.fills}
                focus={focus}
                fitSeq={fitSeq}
                onRange={sync.emitRange}
                onCrosshair={sync.emitCrosshair}
                onNeedMore={(side, farBars) => void klines.extend(side, farBars)}
              />
            </div>
            <div className="pane-equity">
              <EquityChart equity={view.equity} sync={sync} onJump={(time) => void jumpTo(time)} fitSeq={equityFitSeq} />
            </div>
          </div>

          <div className="tabs" role="tablist" aria-label={t('tabs.results')}>
            {(['metrics', 'trades', 'history', ...(compareIds ? (['compare'] as const) : [])] as Tab[]).map((id) => (
              <button key={id} type="button" role="tab" id={`tab-${id}`} aria-selected={tab === id} aria-controls={`panel-${id}`} className={tab === id ? 'tab active' : 'tab'} onClick={() => setTab(id)} data-testid={`tab-${id}`}>
                {t(`tabs.${id}` as MessageKey)}
                {id === 'trades' && view.fills.length > 0 && <span className="count">{view.fills.length.toLocaleString()}</span>}
              </button>
            ))}
          </div>
          <div className="tab-panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
            {tab === 'metrics' && (
              <>
                {view.phase === 'succeeded' && !view.equity && <p className="muted">{t('run.loading')}</p>}
                <MetricCards
                  result={result as Record<string, unknown> | null}
                  metrics={view.run?.metrics ?? null}
                  extra={{ dataQuality: view.run?.dataQuality, reproducibility: view.run?.reproducibility }}
                />
              </>
            )}
            {tab === 'trades' && (
              <>
                <TradeList trades={view.fills} loading={view.tradesLoading} fileName={runId ? `candlebox-run-${runId}-trades` : 'candlebox-trades'} />
                <RunListsPanel client={client} run={view.phase === 'succeeded' ? view.run : null} />
              </>
            )}
            {tab === 'history' && (
              <HistoryPanel
                client={client}
                refreshSeq={historySeq}
                currentId={runId}
                selected={selected}
                onToggle={(id) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : s.concat(id).slice(-2)))}
                onOpen={(id) => void openRun(id)}
                onCompare={() => {
                  if (selected.length !== 2) return;
                  setCompareIds([selected[0], selected[1]]);
                  setTab('compare');
                }}
              />
            )}
            {tab === 'compare' && compareIds && <ComparePanel client={client} ids={compareIds} onClose={() => (setCompareIds(null), setTab('history'))} />}
          </div>
        </section>
      </main>
      <footer className="footer muted">
        Charts: TradingView Lightweight Charts™ · <span>{t('run.shortcut')}</span>
      </footer>
      {showReference && <ApiReference onClose={() => setShowReference(false)} />}
    </div>
  );
}
