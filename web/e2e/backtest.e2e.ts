// End-to-end, part 2: backtests through the page against the real backtest API (contract §5).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { launch, screenshot, serverUrl, type Session } from './browser';
import { api, at, chooseSeries, currentRunId, editorText, openApp, pickSeries, setCode, waitForStatus } from './helpers';

interface StoredRun {
  id: string;
  status: string;
  result: Record<string, number | string> | null;
  metrics: Record<string, unknown> | null;
  error: { type: string; message: string; line: number | null } | null;
}

/** A template's file from the server's list: the moving-average cross when there is one, else the page's own starter. */
async function template(): Promise<string> {
  const { strategies } = await api<{ strategies: { file: string }[] }>('/api/v1/strategies');
  return (strategies.find((t) => t.file === 'ma_cross.py') ?? strategies[0])?.file ?? 'starter.py';
}

describe('backtests in the page', () => {
  let s: Session;
  beforeEach(async () => {
    s = await launch();
  });
  afterEach(async () => {
    await s?.close();
  });

  it('runs a template: live events, markers on the chart, the API\'s metrics, every trade listed', async () => {
    const { symbol, interval } = await pickSeries();
    const name = await template();
    const streams: string[] = [];
    s.page.on('request', (r) => r.url().endsWith('/events') && streams.push(r.url()));
    await openApp(s.page);
    await chooseSeries(s.page, symbol, interval);
    await s.page.getByRole('button', { name: '1 year' }).click();
    await s.page.selectOption('[data-testid=template-picker]', name);
    await s.page.getByTestId('run-button').click();
    expect(await waitForStatus(s.page, ['succeeded', 'failed', 'cancelled'])).toBe('succeeded');
    const id = await currentRunId(s.page);
    expect(streams.some((u) => u.endsWith(`/api/v1/backtests/${id}/events`))).toBe(true);

    const run = await api<StoredRun>(`/api/v1/backtests/${id}`);
    expect(run.status).toBe('succeeded');
    const totalTrades = run.result!.totalTrades as number;

    // the markers: one per side per bar with fills, so at least one when there were trades
    await s.page.waitForFunction(() => Number(document.querySelector('[data-testid=price-chart]')?.getAttribute('data-markers')) >= 0);
    const markers = Number(await s.page.getAttribute('[data-testid=price-chart]', 'data-markers'));
    if (totalTrades > 0) expect(markers).toBeGreaterThan(0);
    expect(markers).toBeLessThanOrEqual(totalTrades);
    await s.page.waitForFunction(() => Number(document.querySelector('[data-testid=equity-chart]')?.getAttribute('data-points')) > 0, null, { timeout: 30_000 });

    // every card shows the API's number, and every number of the result has its card
    const cards = await s.page.$$eval('[data-testid=metric-cards] [data-metric]', (els) =>
      els.map((e) => ({ key: (e as HTMLElement).dataset.metric!, group: (e as HTMLElement).dataset.group!, value: (e as HTMLElement).dataset.value! })),
    );
    for (const c of cards) {
      const expected = c.group === 'result' ? run.result![c.key] : at((run as unknown as Record<string, unknown>)[c.group], c.key);
      if (typeof expected === 'number') expect(Number(c.value), c.key).toBe(expected);
      else expect(c.value, c.key).toBe(expected == null ? '' : String(expected));
    }
    // (a spot run's leverage, funding and liquidations have no card: they mean something for futures only)
    const futuresOnly = run.result!.market === 'futures' ? [] : ['leverage', 'fundingPaid', 'liquidations'];
    for (const [key, value] of Object.entries(run.result!))
      if (typeof value === 'number' && !futuresOnly.includes(key)) expect(cards.some((c) => c.group === 'result' && c.key === key), key).toBe(true);

    // the trade list holds every fill
    await s.page.getByTestId('tab-fills').click();
    await s.page.waitForFunction((n) => Number(document.querySelector('[data-testid=trade-count]')?.getAttribute('data-count')) === n, totalTrades, { timeout: 60_000 });
    await s.page.getByTestId('tab-metrics').click();
    await screenshot(s.page, '10-run');

    // the CSV has a line per trade
    if (totalTrades > 0) {
      await s.page.getByTestId('tab-fills').click();
      const [download] = await Promise.all([s.page.waitForEvent('download'), s.page.getByRole('button', { name: 'Download CSV' }).click()]);
      const lines = readFileSync((await download.path())!, 'utf8').trimEnd().split('\r\n');
      expect(lines[0]).toBe('timestamp,type,price,amount,value,fee,balance,reason,slippage');
      expect(lines).toHaveLength(totalTrades + 1);
      await screenshot(s.page, '11-trades');
    }

    // the report link serves the run's HTML report
    const href = await s.page.getAttribute('[data-testid=report-link]', 'href');
    expect(href).toBe(`/api/v1/backtests/${id}/report.html`);
    const report = await fetch(serverUrl() + href);
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('shows a broken strategy\'s message and highlights its line', async () => {
    const cases = [
      { code: 'class Strategy(IStrategy):\n    def run(self, context, kline, params):\n        x = 1\n        y = undefined_name + x\n', line: 4, text: 'undefined_name' },
      { code: 'class Strategy(IStrategy):\n    def run(self, context, kline, params)\n        pass\n', line: 2, text: '' },
    ];
    const { symbol, interval } = await pickSeries();
    await openApp(s.page);
    await chooseSeries(s.page, symbol, interval);
    await s.page.getByRole('button', { name: 'Last 30 days' }).click();
    for (const [i, c] of cases.entries()) {
      await setCode(s.page, c.code);
      await s.page.keyboard.press('Control+Enter');
      expect(await waitForStatus(s.page, ['succeeded', 'failed', 'cancelled'])).toBe('failed');
      const run = await api<StoredRun>(`/api/v1/backtests/${await currentRunId(s.page)}`);
      expect(run.error?.line).toBe(c.line);
      const banner = await s.page.waitForSelector('[data-testid=run-error]');
      expect(await banner.textContent()).toContain(run.error!.message);
      if (c.text) expect(run.error!.message).toContain(c.text);
      await s.page.waitForSelector('[data-fail-line]');
      expect((await s.page.textContent('[data-fail-line]'))?.trim()).toBe(c.code.split('\n')[c.line - 1].trim());
      await screenshot(s.page, `12-failed-${i + 1}`);
    }
  });

  it('Stop cancels a long run', async () => {
    const { symbol, interval } = await pickSeries();
    await openApp(s.page);
    await chooseSeries(s.page, symbol, interval);
    await s.page.getByRole('button', { name: 'All' }).click();
    await setCode(s.page, 'class Strategy(IStrategy):\n    def run(self, context, kline, params):\n        while True:\n            pass\n');
    await s.page.getByTestId('run-button').click();
    await waitForStatus(s.page, ['running'], 60_000);
    await s.page.waitForTimeout(1000);
    expect(await s.page.textContent('[data-testid=run-button]')).toContain('Stop');
    const stoppedAt = Date.now();
    // (the button reads "Stopping…" until the run has ended)
    await s.page.getByTestId('run-button').click();
    expect(await waitForStatus(s.page, ['succeeded', 'failed', 'cancelled'], 30_000)).toBe('cancelled');
    console.log(`stop → cancelled shown in ${Date.now() - stoppedAt} ms`);
    const run = await api<StoredRun>(`/api/v1/backtests/${await currentRunId(s.page)}`);
    expect(run.status).toBe('cancelled');
    expect(await s.page.textContent('[data-testid=run-button]')).toContain('Run');
    await screenshot(s.page, '13-cancelled');
  });

  it('lists runs in the history and compares two: both equity curves, metrics side by side', async () => {
    const { symbol, interval } = await pickSeries();
    const name = await template();
    await openApp(s.page);
    await chooseSeries(s.page, symbol, interval);
    await s.page.getByRole('button', { name: 'Last 30 days' }).click();
    await s.page.selectOption('[data-testid=template-picker]', name);
    const ids: string[] = [];
    for (const balance of ['10000', '25000']) {
      await s.page.fill('#cfg-balance', balance);
      await s.page.getByTestId('run-button').click();
      expect(await waitForStatus(s.page, ['succeeded', 'failed', 'cancelled'])).toBe('succeeded');
      ids.push(await currentRunId(s.page));
    }
    await s.page.getByTestId('nav-history').click();
    for (const id of ids) await s.page.check(`[data-run-id="${id}"] input[type=checkbox]`);
    await s.page.getByTestId('compare-button').click();
    expect(new URL(s.page.url()).pathname).toBe('/compare');
    await s.page.waitForSelector('.compare-table');
    expect(await s.page.getAttribute('[data-testid=compare-chart]', 'data-series')).toBe('2');
    const profitRow = await s.page.textContent('.compare-table tr[data-metric=initialBalance]');
    expect(profitRow).toContain('10,000.00');
    expect(profitRow).toContain('25,000.00');
    await screenshot(s.page, '14-compare');

    // opening a run from the history shows it again
    await s.page.getByRole('button', { name: 'Close' }).click();
    await s.page.getByRole('button', { name: `Open #${ids[0]}` }).click();
    await s.page.waitForFunction((id) => document.querySelector('[data-testid=run-status]')?.getAttribute('data-run-id') === id, ids[0]);
    expect(new URL(s.page.url()).pathname).toBe(`/runs/${ids[0]}`);
    expect(await s.page.getAttribute('[data-testid=run-status]', 'data-status')).toBe('succeeded');
  });

  it('shows a run again after a reload', async () => {
    const { symbol, interval } = await pickSeries();
    await openApp(s.page);
    await chooseSeries(s.page, symbol, interval);
    await s.page.getByRole('button', { name: 'Last 30 days' }).click();
    await s.page.selectOption('[data-testid=template-picker]', await template());
    await s.page.getByTestId('run-button').click();
    expect(await waitForStatus(s.page, ['succeeded', 'failed', 'cancelled'])).toBe('succeeded');
    const id = await currentRunId(s.page);
    const saved = await s.page.evaluate(() => localStorage.getItem('candlebox.code'));
    // the editor draws only the lines in view: compare the top of it, and the whole of what is stored
    const head = (await editorText(s.page)).split('\n').slice(0, 5);
    await s.page.reload();
    await s.page.waitForFunction((runId) => document.querySelector('[data-testid=run-status]')?.getAttribute('data-run-id') === runId, id, { timeout: 30_000 });
    expect(await s.page.getAttribute('[data-testid=run-status]', 'data-status')).toBe('succeeded');
    expect(await s.page.evaluate(() => localStorage.getItem('candlebox.code'))).toBe(saved);
    expect((await editorText(s.page)).split('\n').slice(0, 5)).toEqual(head);
  });
});
