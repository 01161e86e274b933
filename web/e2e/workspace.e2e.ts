// End-to-end, part 4 (issue 15): routes and deep links, a stale error cleared, run identity in the history
// (names, changed params, code hash, rename, tag, delete), compare's params and code diff, round trips,
// buy & hold and monthly returns against plain recomputations, the 1440×900 and 390×844 layouts.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launch, screenshot, serverUrl, type Session } from './browser';
import { api, chooseSeries, currentRunId, openApp, pickSeries, setCode, waitForStatus } from './helpers';

interface Trade {
  timestamp: string;
  type: 'buy' | 'sell' | 'liquidation';
  price: number;
  amount: number;
  fee: number;
}

interface FullRun {
  id: string;
  status: string;
  name: string;
  nameIsDefault: boolean;
  tags: string[];
  request: { initialBalance: number; strategyParams: Record<string, unknown> };
  result: { totalTrades: number; trades: Trade[]; equityCurve: { timestamp: string; equity: number }[] } | null;
  metrics: Record<string, number | null>;
  reproducibility: { codeSha256: string };
}

const TEMPLATE = 'ma_cross.py';
let templateTitle = '';

/** Runs the moving-average template on the last 30 days with the given params; returns the run's id. */
async function runTemplate(s: Session, params?: Record<string, unknown>): Promise<string> {
  await s.page.selectOption('[data-testid=template-picker]', TEMPLATE);
  if (params) await s.page.fill('#cfg-params', JSON.stringify(params));
  await s.page.getByTestId('run-button').click();
  expect(await waitForStatus(s.page, ['succeeded', 'failed', 'cancelled'])).toBe('succeeded');
  return currentRunId(s.page);
}

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(serverUrl() + path, { method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
}

describe('the workspace, history and compare pages', () => {
  let s: Session;
  beforeAll(async () => {
    const { strategies } = await api<{ strategies: { file: string; name: string }[] }>('/api/v1/strategies');
    templateTitle = strategies.find((t) => t.file === TEMPLATE)!.name;
  });
  afterEach(async () => {
    await s?.close();
  });

  it('routes: a run has its URL, a reload or a deep link opens it, every page answers index.html, the API keeps its 404', async () => {
    s = await launch();
    const { symbol, interval } = await pickSeries();
    await openApp(s.page);
    await chooseSeries(s.page, symbol, interval);
    await s.page.getByRole('button', { name: 'Last 30 days' }).click();
    const id = await runTemplate(s);
    expect(new URL(s.page.url()).pathname).toBe(`/runs/${id}`);
    // the run's name is the template's title (the server's default name)
    expect(await s.page.textContent('[data-testid=run-name]')).toContain(templateTitle);

    for (const path of [`/runs/${id}`, '/history', `/compare?a=${id}&b=${id}`, '/http-api']) {
      const res = await fetch(serverUrl() + path, { headers: { Accept: 'text/html' } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/text\/html/);
    }
    const missing = await fetch(serverUrl() + '/api/v1/no-such-thing', { headers: { Accept: 'text/html' } });
    expect(missing.status).toBe(404);
    expect((await missing.text()).toLowerCase()).not.toContain('<!doctype html');

    // a fresh browser opening the run's address shows that run
    const other = await launch();
    try {
      await other.page.goto(serverUrl() + `/runs/${id}`);
      await other.page.waitForFunction((runId) => document.querySelector('[data-testid=run-status]')?.getAttribute('data-run-id') === runId, id, { timeout: 30_000 });
      expect(await other.page.getAttribute('[data-testid=run-status]', 'data-status')).toBe('succeeded');
      await other.page.goto(serverUrl() + '/http-api');
      await other.page.waitForSelector('[data-testid=api-docs] h2');
      const docs = await other.page.textContent('[data-testid=api-docs]');
      for (const call of ['GET /api/v1/kline/symbols', 'POST /api/v1/backtests', 'PATCH /api/v1/backtests/{id}', 'DELETE /api/v1/backtests/{id}?purge=true']) expect(docs).toContain(call);
      await screenshot(other.page, '40-http-api');
    } finally {
      await other.close();
    }
  });

  it('clears a stale error when the code changes, also after a reload', async () => {
    s = await launch();
    const { symbol, interval } = await pickSeries();
    await openApp(s.page);
    await chooseSeries(s.page, symbol, interval);
    await s.page.getByRole('button', { name: 'Last 30 days' }).click();
    await setCode(s.page, 'class Strategy(IStrategy):\n    def run(self, context, kline, params):\n        y = missing_name + 1\n');
    await s.page.keyboard.press('Control+Enter');
    expect(await waitForStatus(s.page, ['succeeded', 'failed', 'cancelled'])).toBe('failed');
    const id = await currentRunId(s.page);
    await s.page.waitForSelector('[data-testid=run-error]');
    await s.page.waitForSelector('[data-fail-line]');
    // the output pane has the traceback
    const run = await api<{ error: { traceback: string | null; message: string } }>(`/api/v1/backtests/${id}`);
    expect(await s.page.textContent('[data-testid=traceback]')).toContain(run.error.traceback ? run.error.traceback.trim().split('\n').pop()! : run.error.message);

    // another line of code: the bar and the red line go
    await s.page.click('.cm-content');
    await s.page.keyboard.press('Control+End');
    await s.page.keyboard.insertText('\n        # changed\n');
    await s.page.waitForSelector('[data-testid=run-error]', { state: 'detached' });
    expect(await s.page.$('[data-fail-line]')).toBeNull();
    // the run's own page still says it failed
    expect(await s.page.textContent('[data-testid=run-failed]')).toContain('missing_name');
    await s.page.reload();
    await s.page.waitForFunction((runId) => document.querySelector('[data-testid=run-status]')?.getAttribute('data-status') === 'failed' && document.querySelector('[data-testid=run-status]')?.getAttribute('data-run-id') === runId, id, { timeout: 30_000 });
    expect(await s.page.$('[data-testid=run-error]')).toBeNull();
    expect(await s.page.$('[data-fail-line]')).toBeNull();
  });

  it('history names runs and shows changed params and the code hash; rename, tag, delete; compare shows params and code', async () => {
    s = await launch();
    const { symbol, interval } = await pickSeries();
    await openApp(s.page);
    await chooseSeries(s.page, symbol, interval);
    await s.page.getByRole('button', { name: 'Last 30 days' }).click();
    const plain = await runTemplate(s);
    const faster = await runTemplate(s, { fast_period: 5, slow_period: 30, position_pct: 0.95 });
    // the template again, now edited: compare shows the code's difference
    await s.page.click('.cm-content');
    await s.page.keyboard.press('Control+End');
    await s.page.keyboard.insertText('\n# an edit\n');
    await s.page.getByTestId('run-button').click();
    expect(await waitForStatus(s.page, ['succeeded', 'failed', 'cancelled'])).toBe('succeeded');
    const edited = await currentRunId(s.page);

    await s.page.getByTestId('nav-history').click();
    await s.page.waitForSelector(`[data-testid=history-list] [data-run-id="${edited}"]`);
    const row = (id: string) => `[data-testid=history-list] [data-run-id="${id}"]`;
    for (const id of [plain, faster]) expect(await s.page.textContent(`${row(id)} [data-testid=run-title]`)).toContain(templateTitle);
    expect((await s.page.textContent(`${row(plain)} [data-testid=run-params]`))!.trim()).toBe('default parameters');
    expect((await s.page.textContent(`${row(faster)} [data-testid=run-params]`))!.trim()).toBe('fast_period=5');
    const full = await api<FullRun>(`/api/v1/backtests/${plain}`);
    expect((await s.page.textContent(`${row(plain)} [data-testid=code-hash]`))!).toContain(full.reproducibility.codeSha256.slice(0, 8));
    await screenshot(s.page, '41-history');

    // rename and tag the first, as the API then has it
    await s.page.click(`${row(plain)} [data-testid=rename]`);
    await s.page.fill(`${row(plain)} input[name=name]`, 'Baseline SMA');
    await s.page.fill(`${row(plain)} input[name=tags]`, 'e2e, btc');
    await s.page.click(`${row(plain)} button[type=submit]`);
    await s.page.waitForFunction((sel) => document.querySelector(sel)?.textContent?.includes('Baseline SMA'), `${row(plain)} [data-testid=run-title]`);
    const renamed = await api<FullRun>(`/api/v1/backtests/${plain}?view=summary`);
    expect(renamed.name).toBe('Baseline SMA');
    expect(renamed.tags).toEqual(['e2e', 'btc']);
    expect(await s.page.$$eval(`${row(plain)} [data-testid=tag]`, (els) => els.map((e) => e.textContent))).toEqual(['e2e', 'btc']);
    // a bad name is refused by the server and said next to the row
    const bad = await send('PATCH', `/api/v1/backtests/${plain}`, { name: 'x'.repeat(101) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).field).toBe('name');

    // compare: the params differ, the code does not; then the edited run: the code differs
    await s.page.check(`${row(plain)} input[type=checkbox]`);
    await s.page.check(`${row(faster)} input[type=checkbox]`);
    await s.page.getByTestId('compare-button').click();
    await s.page.waitForSelector('[data-testid=compare-params]');
    expect(await s.page.getAttribute('[data-param="params.fast_period"]', 'data-differs')).toBe('true');
    expect(await s.page.textContent('[data-param="params.fast_period"]')).toMatch(/10.*5/);
    expect(await s.page.getAttribute('[data-param="symbol"]', 'data-differs')).toBe('false');
    expect(await s.page.getAttribute('[data-testid=code-diff]', 'data-changed')).toBe('0');
    await s.page.goto(serverUrl() + `/compare?a=${plain}&b=${edited}`);
    await s.page.waitForSelector('[data-testid=code-diff] [data-kind=added]');
    expect(await s.page.$$eval('[data-testid=code-diff] [data-kind=added]', (els) => els.map((e) => e.textContent!.replace(/^\d*\+/, '')))).toContain('# an edit');
    expect(await s.page.$$('[data-testid=code-diff] [data-kind=removed]')).toHaveLength(0);
    await screenshot(s.page, '42-compare');

    // delete the second: gone from the list and from the API
    await s.page.goto(serverUrl() + '/history');
    await s.page.waitForSelector(row(faster));
    s.page.once('dialog', (d) => void d.accept());
    await s.page.click(`${row(faster)} [data-testid=delete]`);
    await s.page.waitForSelector(row(faster), { state: 'detached' });
    expect((await fetch(serverUrl() + `/api/v1/backtests/${faster}`)).status).toBe(404);
  });

  it('round trips, buy & hold and monthly returns equal plain recomputations; the results have room at 1440×900', async () => {
    s = await launch(1440, 900);
    const { symbol, interval } = await pickSeries();
    await openApp(s.page);
    await chooseSeries(s.page, symbol, interval);
    await s.page.getByRole('button', { name: '1 year' }).click();
    const id = await runTemplate(s);
    const run = await api<FullRun>(`/api/v1/backtests/${id}`);

    // round trips: a plain walk over the API's fills (flat → flat, cash flows net of fees)
    let position = 0;
    let cash = 0;
    let closed = 0;
    let net = 0;
    for (const t of run.result!.trades) {
      const sign = t.type === 'buy' ? 1 : t.type === 'sell' ? -1 : position > 0 ? -1 : 1;
      cash += sign > 0 ? -t.price * t.amount - t.fee : t.price * t.amount - t.fee;
      position += sign * t.amount;
      if (Math.abs(position) < 1e-9) {
        closed++;
        net += cash;
        cash = 0;
        position = 0;
      }
    }
    await s.page.getByTestId('tab-trips').click();
    const summary = await s.page.waitForSelector('[data-testid=trip-summary]');
    expect(Number(await summary.getAttribute('data-closed'))).toBe(closed);
    expect(closed).toBe(run.metrics.roundTrips);
    const shownNet = Number(await summary.getAttribute('data-net-pnl'));
    expect(shownNet).toBeCloseTo(net, 6);
    if (closed > 0) expect(shownNet).toBeCloseTo(run.metrics.expectancy! * closed, 6);
    const rows = await s.page.$$eval('[data-testid=trip-table] tbody tr[data-trip]', (els) => els.map((e) => Number((e as HTMLElement).dataset.pnl || 'NaN')));
    expect(rows.filter((p) => !Number.isNaN(p)).reduce((a, b) => a + b, 0)).toBeCloseTo(net, 6);
    await screenshot(s.page, '43-round-trips');

    // buy & hold is drawn beside the equity
    expect(Number(await s.page.getAttribute('[data-testid=equity-chart]', 'data-buy-hold-points'))).toBeGreaterThan(0);

    // monthly returns: each month's last equity over the last before it (the initial balance first)
    const lastOfMonth = new Map<string, number>();
    for (const p of run.result!.equityCurve) lastOfMonth.set(p.timestamp.slice(0, 7), p.equity);
    await s.page.getByTestId('tab-returns').click();
    await s.page.waitForSelector('[data-testid=returns-table]');
    let before = run.request.initialBalance;
    for (const [month, equity] of lastOfMonth) {
      const shown = Number(await s.page.getAttribute(`[data-month="${month}"]`, 'data-value'));
      expect(shown, month).toBeCloseTo(equity / before - 1, 12);
      before = equity;
    }
    await screenshot(s.page, '44-monthly-returns');

    // room: the results panel is a real area at 1440×900, and takes the column when expanded
    await s.page.getByTestId('tab-metrics').click();
    const panel = async () => (await s.page.locator('[data-testid=tab-panel]').boundingBox())!;
    expect((await panel()).height).toBeGreaterThanOrEqual(250);
    await s.page.getByTestId('expand-results').click();
    expect((await panel()).height).toBeGreaterThanOrEqual(650);
    // the editor wraps long lines instead of cutting them
    expect(await s.page.$eval('.cm-content', (e) => getComputedStyle(e).whiteSpace)).toMatch(/pre-wrap|break-spaces/);
    await screenshot(s.page, '45-results-expanded');
    await s.page.getByTestId('expand-results').click();
    await screenshot(s.page, '46-workspace-1440');
  });

  it('on a phone the page opens at the top, with the results one tap away', async () => {
    const { symbol, interval } = await pickSeries();
    s = await launch(1440, 900);
    await openApp(s.page);
    await chooseSeries(s.page, symbol, interval);
    await s.page.getByRole('button', { name: 'Last 30 days' }).click();
    const id = await runTemplate(s);
    await s.close();

    s = await launch(390, 844);
    await s.page.goto(serverUrl() + `/runs/${id}`);
    await s.page.waitForFunction((runId) => document.querySelector('[data-testid=run-status]')?.getAttribute('data-status') === 'succeeded' && document.querySelector('[data-testid=run-status]')?.getAttribute('data-run-id') === runId, id, { timeout: 30_000 });
    await s.page.waitForTimeout(300);
    expect(await s.page.evaluate(() => window.scrollY)).toBe(0);
    const bar = (await s.page.locator('[data-testid=sections]').boundingBox())!;
    expect(bar.y).toBeLessThan(844);
    expect(bar.height).toBeGreaterThan(0);
    await screenshot(s.page, '47-phone-open');
    await s.page.getByTestId('section-results').click();
    const cards = (await s.page.locator('[data-testid=metric-cards]').boundingBox())!;
    expect(cards.y).toBeLessThan(844);
    expect(cards.height).toBeGreaterThan(0);
    // no sideways scrolling
    expect(await s.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(s.page, '48-phone-results');
    await s.page.getByTestId('section-chart').click();
    expect((await s.page.locator('[data-testid=price-chart]').boundingBox())!.height).toBeGreaterThan(100);
    await screenshot(s.page, '49-phone-chart');
  });
});
