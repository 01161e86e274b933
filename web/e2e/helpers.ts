import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { serverUrl } from './browser';

/** GET a JSON document from the server under test. */
export async function api<T = any>(path: string): Promise<T> {
  const res = await fetch(serverUrl() + path);
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The series the tests use: BTCUSDT 1h when the server has it (the bundled sample), else the first symbol. */
export async function pickSeries(): Promise<{ symbol: string; interval: string }> {
  const { symbols } = await api<{ symbols: string[] }>('/api/v1/kline/symbols');
  expect(symbols.length, 'the server has no klines: load the bundled sample first').toBeGreaterThan(0);
  return { symbol: symbols.includes('BTCUSDT') ? 'BTCUSDT' : symbols[0], interval: '1h' };
}

export async function openApp(page: Page, query = ''): Promise<void> {
  const res = await page.goto(serverUrl() + '/' + query);
  const type = res?.headers()['content-type'] ?? '';
  if (!res?.ok() || !type.includes('text/html'))
    throw new Error(`${serverUrl()}/ answers ${res?.status()} ${type}: the server does not serve the web app (web/dist) at /`);
  await page.waitForSelector('[data-testid=run-button]');
  // the form is ready when the series' range is known
  await page.waitForFunction(() => (document.querySelector('#cfg-start') as HTMLInputElement | null)?.value !== '', null, { timeout: 30_000 });
}

export async function chooseSeries(page: Page, symbol: string, interval: string): Promise<void> {
  await page.selectOption('#cfg-symbol', symbol);
  await page.selectOption('#cfg-interval', interval);
  await page.waitForFunction(() => /→/.test(document.querySelector('[data-testid=series-info]')?.textContent ?? ''), null, { timeout: 30_000 });
}

/** Replaces the editor's code as typed text (insertText: no auto-indent or bracket closing in the way). */
export async function setCode(page: Page, code: string): Promise<void> {
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
}

export async function editorText(page: Page): Promise<string> {
  return page.evaluate(() => [...document.querySelectorAll('.cm-content .cm-line')].map((l) => l.textContent).join('\n'));
}

export type Status = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export async function waitForStatus(page: Page, statuses: Status[], timeout = 180_000): Promise<Status> {
  const selector = statuses.map((s) => `[data-testid=run-status][data-status=${s}]`).join(',');
  const el = await page.waitForSelector(selector, { timeout });
  return (await el.getAttribute('data-status')) as Status;
}

export async function currentRunId(page: Page): Promise<string> {
  const id = await page.getAttribute('[data-testid=run-status]', 'data-run-id');
  expect(id).toBeTruthy();
  return id!;
}

/** The value of a nested key ("dataQuality.gaps") of an object. */
export function at(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}
