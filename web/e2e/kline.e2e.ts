// End-to-end, part 1: what works on the kline API alone (no backtest needed).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { launch, screenshot, serverUrl, type Session } from './browser';
import { api, chooseSeries, editorText, openApp, pickSeries, setCode } from './helpers';

const isoMinute = (iso: string) => iso.slice(0, 16);

describe('the page on the kline API', () => {
  let s: Session;
  beforeEach(async () => {
    s = await launch();
  });
  afterEach(async () => {
    await s?.close();
  });

  it('lists the server\'s symbols and intervals and the series\' first and last kline', async () => {
    const { symbol, interval } = await pickSeries();
    const { symbols } = await api<{ symbols: string[] }>('/api/v1/kline/symbols');
    const { intervals } = await api<{ intervals: string[] }>('/api/v1/kline/intervals');
    await openApp(s.page);
    expect(await s.page.$$eval('#cfg-symbol option', (os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(symbols);
    expect(await s.page.$$eval('#cfg-interval option', (os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(intervals);

    await chooseSeries(s.page, symbol, interval);
    const first = (await api(`/api/v1/kline/${symbol}/${interval}/next?current_time=0`)).data;
    const last = (await api(`/api/v1/kline/${symbol}/${interval}/previous`)).data;
    const info = await s.page.textContent('[data-testid=series-info]');
    expect(info).toContain(isoMinute(first.open_time).replace('T', ' '));
    expect(info).toContain(isoMinute(last.open_time).replace('T', ' '));

    await s.page.getByRole('button', { name: 'All' }).click();
    expect(await s.page.inputValue('#cfg-start')).toBe(isoMinute(first.open_time));
    expect(await s.page.inputValue('#cfg-end')).toBe(isoMinute(last.open_time));
    await s.page.getByRole('button', { name: 'Last 30 days' }).click();
    expect(Date.parse(last.open_time) - Date.parse((await s.page.inputValue('#cfg-start')) + ':00Z')).toBe(30 * 86_400_000);
    await screenshot(s.page, '01-configure');
  });

  it('loads a wide range in pages of at most 1000 klines, never all of it, and shows candles', async () => {
    const { symbol, interval } = await pickSeries();
    const pages: URL[] = [];
    s.page.on('request', (r) => {
      const u = new URL(r.url());
      if (/^\/api\/v1\/kline\/[^/]+\/[^/]+$/.test(u.pathname)) pages.push(u);
    });
    await openApp(s.page);
    await chooseSeries(s.page, symbol, interval);
    await s.page.getByRole('button', { name: 'All' }).click();
    await s.page.waitForFunction(() => Number(document.querySelector('[data-testid=price-chart]')?.getAttribute('data-candles')) > 0, null, { timeout: 30_000 });
    await s.page.waitForTimeout(1500);
    const candles = Number(await s.page.getAttribute('[data-testid=price-chart]', 'data-candles'));
    expect(pages.length).toBeGreaterThan(0);
    for (const u of pages) expect(Number(u.searchParams.get('limit'))).toBeLessThanOrEqual(1000);
    // the whole sample is ~48k hourly klines: the chart holds a window of it, a dozen pages at most
    expect(candles).toBeGreaterThan(0);
    expect(candles).toBeLessThanOrEqual(12_000);
    expect(pages.length).toBeLessThanOrEqual(15);
    await screenshot(s.page, '02-candles');
  });

  it('loads nothing from another origin (it works offline on loopback)', async () => {
    const foreign: string[] = [];
    s.page.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith(serverUrl()) && !u.startsWith('data:') && !u.startsWith('blob:')) foreign.push(u);
    });
    await openApp(s.page);
    await s.page.waitForFunction(() => Number(document.querySelector('[data-testid=price-chart]')?.getAttribute('data-candles')) > 0, null, { timeout: 30_000 });
    await s.page.getByTestId('reference-button').click();
    await s.page.keyboard.press('Escape');
    await s.page.getByTestId('lang-toggle').click();
    expect(foreign).toEqual([]);
  });

  it('keeps the code across a reload', async () => {
    await openApp(s.page);
    const marker = `# kept across reloads ${Date.now()}`;
    await setCode(s.page, `class Strategy(IStrategy):\n    def run(self, context, kline, params):\n        pass  ${marker}\n`);
    await s.page.waitForTimeout(600);
    await s.page.reload();
    await s.page.waitForSelector('.cm-content');
    expect(await editorText(s.page)).toContain(marker);
  });

  it('completes the strategy API in the editor and opens the reference in one click', async () => {
    await openApp(s.page);
    await setCode(s.page, 'class Strategy(IStrategy):\n    def run(self, context, kline, params):\n        context.se');
    await s.page.keyboard.press('Control+Space');
    const options = await s.page.waitForSelector('.cm-tooltip-autocomplete');
    expect(await options.textContent()).toContain('sell_all');
    await s.page.keyboard.press('Escape');
    await s.page.getByTestId('reference-button').click();
    const ref = s.page.getByRole('dialog', { name: 'Strategy API reference' });
    expect(await ref.textContent()).toContain('calculate_rsi(data, period=14)');
    await screenshot(s.page, '03-reference');
  });

  it('switches to Chinese', async () => {
    await openApp(s.page);
    await s.page.getByTestId('lang-toggle').click();
    expect(await s.page.textContent('[data-testid=run-button]')).toContain('运行');
    expect(await s.page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await s.page.waitForFunction(() => Number(document.querySelector('[data-testid=price-chart]')?.getAttribute('data-candles')) > 0, null, { timeout: 30_000 });
    await screenshot(s.page, '04-chinese');
  });

  for (const [name, width, height] of [
    ['tablet', 820, 1180],
    ['phone', 390, 844],
  ] as const) {
    it(`fits a ${name} (${width} px) without sideways scrolling`, async () => {
      const small = await launch(width, height);
      try {
        await openApp(small.page);
        const overflow = await small.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(1);
        expect(await small.page.isVisible('[data-testid=run-button]')).toBe(true);
        await screenshot(small.page, `05-${name}`);
      } finally {
        await small.close();
      }
    });
  }

});
