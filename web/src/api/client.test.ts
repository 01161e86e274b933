import { describe, expect, it } from 'vitest';
import { ApiError, createClient, fetchAllTrades } from './client';
import { fakeFetch, jsonResponse } from '../test/fakes';
import type { Trade } from './types';

const noSleep = async () => {};

describe('API client', () => {
  it('asks for a kline page with start_time, end_time and limit as the kline API expects', async () => {
    const f = fakeFetch(() => jsonResponse({ symbol: 'BTCUSDT', interval: '1h', count: 0, data: [] }));
    const client = createClient({ fetch: f.fetch });
    await client.klines('BTCUSDT', '1h', { startMs: 1704067199999, endMs: 1706745600000, limit: 1000 });
    expect(f.calls[0].url).toBe('/api/v1/kline/BTCUSDT/1h?start_time=1704067199999&end_time=1706745600000&limit=1000');
  });

  it('reads a kline 400 into an ApiError naming the parameter and what is allowed', async () => {
    const f = fakeFetch(() => jsonResponse({ detail: 'limit 2000 is out of range', parameter: 'limit', allowed: '1..1000' }, 400));
    const client = createClient({ fetch: f.fetch });
    const error = await client.klines('BTCUSDT', '1h', { limit: 2000 }).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, message: 'limit 2000 is out of range', field: 'limit', allowed: '1..1000' });
  });

  it('reads a backtest 400 naming the field', async () => {
    const f = fakeFetch(() => jsonResponse({ detail: 'feeRate must be in [0, 1)', field: 'feeRate' }, 400));
    const client = createClient({ fetch: f.fetch });
    const error: ApiError = await client
      .createBacktest({ symbol: 'BTCUSDT', interval: '1h', initialBalance: 1, feeRate: 2, strategyParams: {}, code: 'x' })
      .catch((e) => e);
    expect(error.field).toBe('feeRate');
    expect(f.calls[0]).toMatchObject({ url: '/api/v1/backtests', method: 'POST' });
    expect((f.calls[0].body as { feeRate: number }).feeRate).toBe(2);
  });

  it('tries a GET again after a 429, waiting what Retry-After says', async () => {
    const waits: number[] = [];
    let n = 0;
    const f = fakeFetch(() => (++n < 3 ? jsonResponse({ detail: 'slow down' }, 429, { 'Retry-After': '2' }) : jsonResponse({ symbols: ['BTCUSDT'] })));
    const client = createClient({ fetch: f.fetch, sleep: async (ms) => void waits.push(ms) });
    expect(await client.symbols()).toEqual(['BTCUSDT']);
    expect(waits).toEqual([2000, 2000]);
    expect(f.calls).toHaveLength(3);
  });

  it('caps the wait between tries whatever Retry-After says', async () => {
    const waits: number[] = [];
    let n = 0;
    const f = fakeFetch(() => (++n < 2 ? jsonResponse({}, 503, { 'Retry-After': '3600' }) : jsonResponse({ intervals: ['1h'] })));
    const client = createClient({ fetch: f.fetch, sleep: async (ms) => void waits.push(ms), maxRetryWaitMs: 5000 });
    await client.intervals();
    expect(waits).toEqual([5000]);
  });

  it('does not repeat a refused submission: the 429 reaches the page with its Retry-After', async () => {
    const f = fakeFetch(() => jsonResponse({ detail: 'queue full' }, 429, { 'Retry-After': '7' }));
    const client = createClient({ fetch: f.fetch, sleep: noSleep });
    const error: ApiError = await client
      .createBacktest({ symbol: 'BTCUSDT', interval: '1h', initialBalance: 1, feeRate: 0, strategyParams: {}, code: 'x' })
      .catch((e) => e);
    expect(f.calls).toHaveLength(1);
    expect(error.busy).toBe(true);
    expect(error.retryAfter).toBe(7);
  });

  it('gives up after the configured number of tries', async () => {
    const f = fakeFetch(() => jsonResponse({ detail: 'busy' }, 429, { 'Retry-After': '1' }));
    const client = createClient({ fetch: f.fetch, sleep: noSleep, getRetries: 2 });
    await expect(client.symbols()).rejects.toMatchObject({ status: 429 });
    expect(f.calls).toHaveLength(3);
  });

  it('keeps a non-JSON error body as the status line', async () => {
    const client = createClient({ fetch: async () => new Response('<html>oops</html>', { status: 502, statusText: 'Bad Gateway' }) });
    await expect(client.symbols()).rejects.toMatchObject({ status: 502, message: '502 Bad Gateway' });
  });

  it('turns numeric run ids into strings', async () => {
    const f = fakeFetch(() => jsonResponse({ id: 42, status: 'queued' }, 202));
    const run = await createClient({ fetch: f.fetch }).createBacktest({ symbol: 'A', interval: '1h', initialBalance: 1, feeRate: 0, strategyParams: {}, code: 'x' });
    expect(run.id).toBe('42');
  });

  it('lists runs with limit and before, and normalises the next cursor', async () => {
    const f = fakeFetch(() => jsonResponse({ runs: [{ id: 9, status: 'succeeded', request: {}, createdAt: null }], next: 9 }));
    const page = await createClient({ fetch: f.fetch }).listBacktests({ limit: 20, before: '10' });
    expect(f.calls[0].url).toBe('/api/v1/backtests?limit=20&before=10');
    expect(page).toEqual({ runs: [{ id: '9', status: 'succeeded', request: {}, createdAt: null }], next: '9' });
  });

  it('builds the events and report addresses under the base', () => {
    const client = createClient({ base: 'http://127.0.0.1:8000' });
    expect(client.eventsUrl('7')).toBe('http://127.0.0.1:8000/api/v1/backtests/7/events');
    expect(client.reportUrl('7')).toBe('http://127.0.0.1:8000/api/v1/backtests/7/report.html');
  });

  it('downloads every fill in pages of 1000 until the total is reached', async () => {
    const all: Trade[] = Array.from({ length: 2345 }, (_, i) => ({
      timestamp: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(),
      type: i % 2 ? 'sell' : 'buy',
      price: 100 + i,
      amount: 1,
      balance: 0,
      fee: 0.1,
    }));
    const f = fakeFetch((url) => {
      const offset = Number(url.searchParams.get('offset'));
      const limit = Number(url.searchParams.get('limit'));
      return jsonResponse({ total: all.length, trades: all.slice(offset, offset + limit) });
    });
    const progress: number[] = [];
    const trades = await fetchAllTrades(createClient({ fetch: f.fetch }), '5', (soFar) => progress.push(soFar.length));
    expect(trades).toEqual(all);
    expect(f.calls.map((c) => c.url)).toEqual([
      '/api/v1/backtests/5/trades?offset=0&limit=1000',
      '/api/v1/backtests/5/trades?offset=1000&limit=1000',
      '/api/v1/backtests/5/trades?offset=2000&limit=1000',
    ]);
    expect(progress).toEqual([1000, 2000, 2345]);
  });

  it('stops paging when the server returns an empty page before the total', async () => {
    let n = 0;
    const f = fakeFetch(() => jsonResponse({ total: 5000, trades: n++ === 0 ? [{ timestamp: '2024-01-01T00:00:00Z', type: 'buy', price: 1, amount: 1, balance: 1, fee: 0 }] : [] }));
    const trades = await fetchAllTrades(createClient({ fetch: f.fetch }), '1');
    expect(trades).toHaveLength(1);
    expect(f.calls).toHaveLength(2);
  });
});
