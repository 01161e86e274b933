import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { followRun, type RunListener } from './events';
import { FakeEventSource } from '../test/fakes';
import type { Run, Trade } from './types';

const run = (status: Run['status'], extra: Partial<Run> = {}): Run => ({
  id: '7',
  status,
  progress: status === 'succeeded' ? 1 : 0.5,
  request: { symbol: 'BTCUSDT', interval: '1h', initialBalance: 10000, feeRate: 0.001, strategyParams: {} },
  result: null,
  metrics: null,
  error: null,
  logs: '',
  createdAt: null,
  startedAt: null,
  finishedAt: null,
  ...extra,
});

const fill: Trade = { timestamp: '2024-01-01T05:00:00+00:00', type: 'buy', price: 42000.5, amount: 0.2, balance: 1591.5, fee: 8.4001 };

function recorder() {
  const seen = { progress: [] as number[], fills: [] as Trade[], logs: [] as string[], end: [] as Run[], polls: [] as Run[], lost: 0 };
  const listener: RunListener = {
    progress: (p) => seen.progress.push(p),
    fill: (t) => seen.fills.push(t),
    log: (t) => seen.logs.push(t),
    end: (r) => seen.end.push(r),
    poll: (r) => seen.polls.push(r),
    lost: () => seen.lost++,
  };
  return { seen, listener };
}

const client = (getBacktest: (id: string) => Promise<Run>) => ({ eventsUrl: (id: string) => `/api/v1/backtests/${id}/events`, getBacktest });

describe('followRun (Server-Sent Events)', () => {
  beforeEach(() => {
    FakeEventSource.instances = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens the run\'s events stream and hands on progress, fills and printed lines', () => {
    const { seen, listener } = recorder();
    followRun('7', listener, { client: client(async () => run('running')), openEventSource: (u) => new FakeEventSource(u) });
    const es = FakeEventSource.last();
    expect(es.url).toBe('/api/v1/backtests/7/events');
    es.emit('progress', { progress: 0.42 });
    es.emit('fill', fill);
    es.emit('log', { text: 'bought' });
    expect(seen.progress).toEqual([0.42]);
    expect(seen.fills).toEqual([fill]);
    expect(seen.logs).toEqual(['bought']);
  });

  it('shows a fill replayed after a reconnect once', () => {
    const { seen, listener } = recorder();
    followRun('7', listener, { client: client(async () => run('running')), openEventSource: (u) => new FakeEventSource(u) });
    const es = FakeEventSource.last();
    es.emit('fill', fill);
    es.emit('fill', { ...fill });
    es.emit('fill', { ...fill, balance: 1500 });
    expect(seen.fills).toHaveLength(2);
  });

  it('ignores events whose data is not what the contract says', () => {
    const { seen, listener } = recorder();
    followRun('7', listener, { client: client(async () => run('running')), openEventSource: (u) => new FakeEventSource(u) });
    const es = FakeEventSource.last();
    es.emit('progress', 'not json');
    es.emit('fill', { nope: 1 });
    es.emit('log', { other: 'x' });
    expect(seen).toMatchObject({ progress: [], fills: [], logs: [] });
  });

  it('ends with the run from the end event and closes the stream', () => {
    const { seen, listener } = recorder();
    followRun('7', listener, { client: client(async () => run('running')), openEventSource: (u) => new FakeEventSource(u) });
    const es = FakeEventSource.last();
    es.emit('end', run('succeeded', { id: 7 as unknown as string }));
    es.emit('end', run('succeeded'));
    expect(seen.end).toHaveLength(1);
    expect(seen.end[0].id).toBe('7');
    expect(es.closed).toBe(true);
  });

  it('asks the server once after a stream error, and ends if the run already finished', async () => {
    const { seen, listener } = recorder();
    followRun('7', listener, { client: client(async () => run('failed', { error: { type: 'SyntaxError', message: 'bad', line: 3 } })), openEventSource: (u) => new FakeEventSource(u) });
    FakeEventSource.last().fail(0);
    await vi.waitFor(() => expect(seen.end).toHaveLength(1));
    expect(seen.end[0].error?.line).toBe(3);
  });

  it('falls back to polling when the stream is closed for good, until the run ends', async () => {
    vi.useFakeTimers();
    const answers = [run('running', { progress: 0.3 }), run('running', { progress: 0.6 }), run('succeeded')];
    const getBacktest = vi.fn(async () => answers.shift()!);
    const { seen, listener } = recorder();
    followRun('7', listener, { client: client(getBacktest), openEventSource: (u) => new FakeEventSource(u), pollIntervalMs: 1000 });
    FakeEventSource.last().fail(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(seen.progress).toEqual([0.3]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen.progress).toEqual([0.3, 0.6]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen.end.map((r) => r.status)).toEqual(['succeeded']);
    expect(getBacktest).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(5000);
    expect(getBacktest).toHaveBeenCalledTimes(3);
  });

  it('reports the connection lost after repeated failed polls', async () => {
    vi.useFakeTimers();
    const { seen, listener } = recorder();
    followRun('7', listener, { client: client(async () => Promise.reject(new Error('offline'))), openEventSource: (u) => new FakeEventSource(u), pollIntervalMs: 10, maxPollFailures: 3 });
    FakeEventSource.last().fail(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(seen.lost).toBe(1);
    expect(seen.end).toHaveLength(0);
  });

  it('reads the run when the stream opens: a run that started before it shows as running', async () => {
    const seen: string[] = [];
    const { listener } = recorder();
    listener.status = (s) => seen.push(s);
    followRun('7', listener, { client: client(async () => run('running', { progress: 0.1 })), openEventSource: (u) => new FakeEventSource(u) });
    FakeEventSource.last().open();
    await vi.waitFor(() => expect(seen).toEqual(['running']));
  });

  it('reads the run again while the stream stays quiet', async () => {
    vi.useFakeTimers();
    const answers = [run('running'), run('running'), run('failed', { error: { type: 'time_limit', message: 'too long', line: null } })];
    const getBacktest = vi.fn(async () => answers.shift()!);
    const { seen, listener } = recorder();
    followRun('7', listener, { client: client(getBacktest), openEventSource: (u) => new FakeEventSource(u), quietCheckMs: 5000 });
    FakeEventSource.last().open();
    await vi.advanceTimersByTimeAsync(0);
    expect(getBacktest).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(4000);
    FakeEventSource.last().emit('progress', { progress: 0.2 });
    await vi.advanceTimersByTimeAsync(4000);
    expect(getBacktest).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(getBacktest).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(5000);
    expect(seen.end.map((r) => r.error?.type)).toEqual(['time_limit']);
    expect(FakeEventSource.last().closed).toBe(true);
  });

  it('stops hearing anything once stopped', () => {
    const { seen, listener } = recorder();
    const stop = followRun('7', listener, { client: client(async () => run('running')), openEventSource: (u) => new FakeEventSource(u) });
    const es = FakeEventSource.last();
    stop();
    expect(es.closed).toBe(true);
    es.emit('end', run('succeeded'));
    expect(seen.end).toHaveLength(0);
  });
});
