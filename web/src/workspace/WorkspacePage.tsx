import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import type { Client } from '../api/client';
import { shortId } from '../api/types';
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
import { RoundTripList } from '../results/RoundTripList';
import { RunListsPanel } from '../results/RunLists';
import { OutputPane } from '../results/OutputPane';
import { PeriodReturnsTable } from '../results/PeriodReturns';
import { useBacktest, type Phase } from '../run/useBacktest';
import { waitingLine } from '../run/waiting';
import { HeaderActions } from '../app/HeaderSlot';
import { runPath } from '../app/routes';
import type { ServerLists } from '../app/App';
import { storage } from '../app/storage';

type Tab = 'metrics' | 'trips' | 'fills' | 'returns';
/** On a phone one section shows at a time, chosen in the bar at the top. */
type Section = 'setup' | 'code' | 'chart' | 'results';

const ACTIVE: Phase[] = ['starting', 'queued', 'running'];
const TABS: Tab[] = ['metrics', 'trips', 'fills', 'returns'];
const SECTIONS: Section[] = ['setup', 'code', 'chart', 'results'];

function initialForm(): ConfigForm {
  return { ...DEFAULT_FORM, ...(storage.loadForm<ConfigForm>() ?? {}) };
}

export interface WorkspacePageProps {
  client: Client;
  /** The run the URL names (/runs/:id); null on "/". */
  runId: string | null;
  lists: ServerLists;
}

/** Configure, write, run and read one strategy: the page at "/" and at /runs/:id. */
export function WorkspacePage({ client, runId: routeRunId, lists }: WorkspacePageProps) {
  const { t, lang } = useI18n();
  const [, navigate] = useLocation();
  const editor = useRef<EditorHandle>(null);
  const sync = useMemo(() => new ChartSync(), []);
  const { symbols, intervals, templates } = lists;

  const [form, setForm] = useState<ConfigForm>(initialForm);
  const [initialCode] = useState(() => storage.loadCode() ?? STARTER_TEMPLATE.code);
  const [code, setCode] = useState(initialCode);
  const [loaded, setLoaded] = useState(() => storage.loadTemplate());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<FormErrors>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('metrics');
  const [section, setSection] = useState<Section>('code');
  const [expanded, setExpanded] = useState(() => storage.loadFlag('resultsExpanded'));
  const [showReference, setShowReference] = useState(false);
  const [focus, setFocus] = useState<{ time: number; seq: number } | null>(null);
  const [fitSeq, setFitSeq] = useState(0);
  const [equityFitSeq, setEquityFitSeq] = useState(0);
  const [follow, setFollow] = useState(true);
  /** The run this page shows or is opening: the URL follows it, and it follows the URL. */
  const shown = useRef<string | null>(null);

  const { view, start, stop, open, dismissProblem, clearLogs } = useBacktest(client);
  const active = ACTIVE.includes(view.phase);

  // a page opens at its top (a phone must not land inside the editor)
  // (braces: Chromium's scrollTo returns a promise, and an effect may return only its cleanup)
  useEffect(() => {
    window.scrollTo(0, 0);
  }, []);

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
  useEffect(() => {
    storage.saveFlag('resultsExpanded', expanded);
  }, [expanded]);

  // --- the URL names the run shown: open it; "/" reopens the last run shown
  useEffect(() => {
    if (routeRunId == null) {
      const last = storage.loadLastRun();
      if (last) navigate(runPath(last), { replace: true });
      return;
    }
    if (routeRunId === shown.current) return;
    shown.current = routeRunId;
    void open(routeRunId).then((run) => {
      if (!run && storage.loadLastRun() === routeRunId) storage.saveLastRun(null);
    });
  }, [routeRunId, open, navigate]);
  useEffect(() => {
    if (view.run?.id) storage.saveLastRun(view.run.id);
  }, [view.run?.id]);

  // --- the run's failure, pinned to its line while the editor holds the code that failed
  const failedCode = view.phase === 'failed' && view.error ? (view.run?.request?.code ?? null) : null;
  const errorIsCurrent = failedCode != null && failedCode === code;
  const failure: CodeFailure | null = useMemo(() => {
    if (!errorIsCurrent || !view.error?.line) return null;
    return { line: view.error.line, message: `${view.error.type ? view.error.type + ': ' : ''}${view.error.message}` };
  }, [errorIsCurrent, view.error]);

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
    const currentCode = editor.current?.getCode() ?? code;
    const { request, errors: errs } = validateForm(form, currentCode);
    if (!request) {
      setNotice(errs.code ? t(errs.code.key) : t('err.fixFirst'));
      return;
    }
    setNotice(null);
    setTab('metrics');
    storage.saveCode(currentCode);
    const created = await start(request);
    if (created) {
      shown.current = created.id;
      navigate(runPath(created.id));
    }
  }, [code, form, start, t, navigate]);

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

  // --- the template picker shows what is loaded, and warns before replacing edited code
  const loadedTemplate = loaded ? templates.find((x) => x.file === loaded.file) ?? null : null;
  const baseline = loaded?.code ?? STARTER_TEMPLATE.code;
  const edited = code !== baseline && code !== view.run?.request?.code;

  const loadTemplate = (file: string) => {
    const tpl = templates.find((x) => x.file === file);
    if (!tpl) return;
    const title = tpl === STARTER_TEMPLATE ? t('editor.blank') : templateTitle(tpl);
    if (edited && code !== tpl.code && !window.confirm(t('editor.replaceConfirm', { name: title }))) return;
    editor.current?.setCode(tpl.code);
    setCode(tpl.code);
    const memory = { file: tpl.file, code: tpl.code };
    setLoaded(memory);
    storage.saveTemplate(memory);
    const { params, klineWndSize } = templateParams(tpl.code);
    setForm((f) => ({ ...f, paramsJson: JSON.stringify(params, null, 2), klineWndSize: klineWndSize != null ? String(klineWndSize) : f.klineWndSize }));
    setNotice(t('editor.templateLoaded', { name: title }));
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
  const wait = waitingLine(view.phase, view.progress, view.run?.waiting);
  const templateLabel = (file: string) => {
    const tpl = templates.find((x) => x.file === file)!;
    const title = tpl === STARTER_TEMPLATE ? t('editor.blank') : templateTitle(tpl);
    return loaded?.file === file && code !== tpl.code ? t('editor.edited', { name: title }) : title;
  };

  return (
    <>
      <HeaderActions>
        <div className="run-status" aria-live="polite">
          <span className={`badge ${view.phase}`} data-testid="run-status" data-status={view.phase} data-run-id={runId ?? ''}>
            {phaseLabel}
          </span>
          {runId && (
            <span className="run-name" title={runId} data-testid="run-name">
              {view.run?.name ?? ''} <span className="muted">#{shortId(runId)}</span>
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
        </div>
      </HeaderActions>

      {wait && (
        <div className="banner info waiting" role="status" data-testid="waiting">
          <span>
            {t(wait.key, wait.vars)}
            {wait.warming && ` · ${t('wait.warming')}`}
          </span>
        </div>
      )}

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

      <nav className="sections" aria-label={t('section.label')} data-testid="sections">
        {SECTIONS.map((s) => (
          <button key={s} type="button" className={section === s ? 'section-tab active' : 'section-tab'} aria-pressed={section === s} onClick={() => setSection(s)} data-testid={`section-${s}`}>
            {t(`section.${s}` as MessageKey)}
          </button>
        ))}
      </nav>

      <main className={`layout show-${section}${expanded ? ' results-expanded' : ''}`}>
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
            <select id="template-picker" value={loadedTemplate?.file ?? ''} onChange={(e) => loadTemplate(e.target.value)} data-testid="template-picker" data-edited={edited}>
              <option value="">{t('editor.templatePick')}</option>
              {templates.map((tpl) => (
                <option key={tpl.file} value={tpl.file} title={tpl.description}>
                  {templateLabel(tpl.file)}
                </option>
              ))}
            </select>
            <button type="button" className="btn small" onClick={() => setShowReference(true)}>
              {t('nav.reference')}
            </button>
            {view.run?.request?.code && view.run.request.code !== code && (
              <button type="button" className="btn small" onClick={loadRunCode} data-testid="load-run-code">
                {t('history.loadCode')}
              </button>
            )}
            <span className="muted saved" title={t('editor.saved')}>
              ● {t('editor.savedShort')}
            </span>
          </div>
          {errorIsCurrent && view.error && (
            <div className="failure" role="alert" data-testid="run-error">
              {view.error.line != null && (
                <button type="button" className="btn small" onClick={() => editor.current?.goToLine(view.error!.line!)} aria-label={t('editor.goToLine', { line: view.error.line })}>
                  {t('editor.failedAt', { line: view.error.line })}
                </button>
              )}
              <span className="failure-message">{`${view.error.type ? view.error.type + ': ' : ''}${view.error.message}`}</span>
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
          <OutputPane logs={view.logs} error={view.phase === 'failed' ? view.error : null} onClear={clearLogs} />
        </section>

        <section className="col-results" aria-label={t('tabs.results')}>
          <div className="chart-area">
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
          </div>

          <div className="results-area">
            <div className="tabs" role="tablist" aria-label={t('tabs.results')}>
              {TABS.map((id) => (
                <button key={id} type="button" role="tab" id={`tab-${id}`} aria-selected={tab === id} aria-controls={`panel-${id}`} className={tab === id ? 'tab active' : 'tab'} onClick={() => setTab(id)} data-testid={`tab-${id}`}>
                  {t(`tabs.${id}` as MessageKey)}
                  {id === 'fills' && view.fills.length > 0 && <span className="count">{view.fills.length.toLocaleString()}</span>}
                </button>
              ))}
              <span className="spacer" />
              <button type="button" className="btn small expand" aria-pressed={expanded} onClick={() => setExpanded((x) => !x)} data-testid="expand-results" title={t('results.expandHint')}>
                {expanded ? t('results.collapse') : t('results.expand')}
              </button>
            </div>
            <div className="tab-panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} data-testid="tab-panel">
              {tab === 'metrics' && (
                <>
                  {view.phase === 'failed' && view.error && (
                    <p className="run-failed" data-testid="run-failed">
                      {t('run.failedWith', { message: `${view.error.type ? view.error.type + ': ' : ''}${view.error.message}` })}
                    </p>
                  )}
                  {view.phase === 'succeeded' && !view.equity && <p className="muted">{t('run.loading')}</p>}
                  <MetricCards
                    result={result as Record<string, unknown> | null}
                    metrics={view.run?.metrics ?? null}
                    extra={{ dataQuality: view.run?.dataQuality, reproducibility: view.run?.reproducibility }}
                  />
                </>
              )}
              {tab === 'trips' && <RoundTripList fills={view.fills} loading={view.tradesLoading} fileName={runId ? `candlebox-run-${runId}-round-trips` : 'candlebox-round-trips'} />}
              {tab === 'fills' && (
                <>
                  <TradeList trades={view.fills} loading={view.tradesLoading} fileName={runId ? `candlebox-run-${runId}-trades` : 'candlebox-trades'} />
                  <RunListsPanel client={client} run={view.phase === 'succeeded' ? view.run : null} />
                </>
              )}
              {tab === 'returns' && <PeriodReturnsTable periods={view.equity?.periods ?? null} />}
            </div>
          </div>
        </section>
      </main>
      {showReference && <ApiReference onClose={() => setShowReference(false)} />}
    </>
  );
}
