import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Link, Route, Router, Switch, useLocation, useRoute, useSearch } from 'wouter';
import { createClient, type Client } from '../api/client';
import type { StrategyTemplate } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { STARTER_TEMPLATE } from '../editor/templates';
import { WorkspacePage } from '../workspace/WorkspacePage';
import { HistoryPage } from '../history/HistoryPage';
import { HeaderSlotContext } from './HeaderSlot';
import { ROUTES, compareIds, runPath } from './routes';
import { storage } from './storage';

// the API documentation (its markdown and renderer) loads only when opened
const ApiDocsPage = lazy(() => import('../docs/ApiDocsPage'));
// so does the compare page (with its line diff)
const ComparePage = lazy(() => import('../history/ComparePage').then((m) => ({ default: m.ComparePage })));

/** What every page may need from the server once: the lists of symbols, intervals and templates. */
export interface ServerLists {
  symbols: string[];
  intervals: string[];
  templates: StrategyTemplate[];
}

/** The page: a top bar with the navigation, and one route's page under it. */
export function App({ client: given, base }: { client?: Client; base?: string }) {
  const client = useMemo(() => given ?? createClient(), [given]);
  return (
    <Router base={base}>
      <Shell client={client} />
    </Router>
  );
}

function Shell({ client }: { client: Client }) {
  const { t, lang, setLang } = useI18n();
  const [slot, setSlot] = useState<HTMLElement | null>(null);
  const [lists, setLists] = useState<ServerLists>({ symbols: [], intervals: ['1m', '5m', '15m', '1h', '4h', '1d'], templates: [STARTER_TEMPLATE] });
  const [location] = useLocation();
  const search = useSearch();
  const [onRun, runParams] = useRoute<{ id: string }>(ROUTES.run);
  const onWorkspace = location === ROUTES.workspace || onRun;

  useEffect(() => {
    client
      .symbols()
      .then((symbols) => setLists((l) => ({ ...l, symbols })))
      .catch(() => undefined);
    client
      .intervals()
      .then((intervals) => setLists((l) => ({ ...l, intervals })))
      .catch(() => undefined);
    client
      .strategies()
      .then((list) => list.length && setLists((l) => ({ ...l, templates: list.concat(STARTER_TEMPLATE) })))
      .catch(() => undefined);
  }, [client]);

  const lastRun = storage.loadLastRun();
  const pair = useMemo(() => compareIds(search), [search]);
  const nav = (href: string, label: string, active: boolean, testid: string) => (
    <Link href={href} className={active ? 'nav-link active' : 'nav-link'} aria-current={active ? 'page' : undefined} data-testid={testid}>
      {label}
    </Link>
  );

  return (
    <HeaderSlotContext.Provider value={slot}>
      <div className="app">
        <header className="topbar">
          <div className="brand">
            <span className="logo" aria-hidden="true">
              ▮▯
            </span>
            <strong>{t('app.title')}</strong>
            <span className="muted tagline">{t('app.tagline')}</span>
          </div>
          <nav className="nav" aria-label={t('nav.label')}>
            {nav(onWorkspace ? location : lastRun ? runPath(lastRun) : ROUTES.workspace, t('nav.workspace'), !!onWorkspace, 'nav-workspace')}
            {nav(ROUTES.history, t('nav.history'), location === ROUTES.history, 'nav-history')}
            {location === ROUTES.compare && nav(location + (search ? `?${search}` : ''), t('nav.compare'), true, 'nav-compare')}
            {nav(ROUTES.apiDocs, t('nav.apiDocs'), location === ROUTES.apiDocs, 'nav-api')}
          </nav>
          <div className="page-actions" ref={setSlot} />
          <button type="button" className="btn" onClick={() => setLang(lang === 'en' ? 'zh' : 'en')} aria-label={t('lang.toggleLabel')} data-testid="lang-toggle">
            {t('lang.toggle')}
          </button>
        </header>
        {onWorkspace ? (
          // one element for "/" and "/runs/:id": opening another run keeps the editor and charts
          <WorkspacePage client={client} runId={onRun ? runParams!.id : null} lists={lists} />
        ) : (
          <Switch>
            <Route path={ROUTES.history}>
              <HistoryPage client={client} templates={lists.templates} />
            </Route>
            <Route path={ROUTES.compare}>
              <Suspense fallback={<p className="empty">{t('run.loading')}</p>}>
                <ComparePage client={client} ids={pair} templates={lists.templates} />
              </Suspense>
            </Route>
            <Route path={ROUTES.apiDocs}>
              <Suspense fallback={<p className="empty">{t('run.loading')}</p>}>
                <ApiDocsPage />
              </Suspense>
            </Route>
            <Route>
              <section className="page">
                <p className="empty" data-testid="not-found">
                  {t('nav.notFound')} <Link href={ROUTES.workspace}>{t('nav.workspace')}</Link>
                </p>
              </section>
            </Route>
          </Switch>
        )}
        <footer className="footer muted">
          Charts: TradingView Lightweight Charts™ · <span>{t('run.shortcut')}</span>
        </footer>
      </div>
    </HeaderSlotContext.Provider>
  );
}
