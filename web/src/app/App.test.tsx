import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nProvider } from '../i18n/i18n';
import { createClient } from '../api/client';
import { FakeEventSource, fakeFetch, jsonResponse } from '../test/fakes';
import type { Run, Trade } from '../api/types';

vi.mock('lightweight-charts', async () => (await import('../test/fakeCharts')).fakeLightweightCharts);
const { App } = await import('./App');

const HOUR = 3_600_000;
const FIRST = Date.UTC(2024, 0, 1);
const LAST = FIRST + 99 * HOUR;
const iso = (t: number) => new Date(t).toISOString().replace('.000Z', '+00:00');
const kline = (t: number) => ({ open_time: iso(t), open: 100, high: 110, low: 90, close: 105, volume: 3, close_time: iso(t + HOUR - 1) });

const TEMPLATE = `"""
Test template.

strategyParams read (default):
    lookback      20    klines looked back
    klineWndSize  60    (engine) klines kept
"""


class Strategy(IStrategy):
    def run(self, context, kline, params):
        pass
`;

const fills: Trade[] = [
  { timestamp: iso(FIRST + 5 * HOUR), type: 'buy', price: 100, amount: 1, balance: 9899.9, fee: 0.1 },
  { timestamp: iso(FIRST + 9 * HOUR), type: 'sell', price: 108, amount: 1, balance: 10007.79, fee: 0.108 },
];

function makeRun(status: Run['status'], extra: Partial<Run> = {}): Run {
  return {
    id: '7',
    status,
    progress: status === 'succeeded' ? 1 : 0,
    request: { symbol: 'BTCUSDT', interval: '1h', startTime: iso(FIRST), endTime: iso(LAST), initialBalance: 10000, feeRate: 0.001, strategyParams: {}, code: TEMPLATE },
    result: null,
    metrics: null,
    error: null,
    logs: '',
    createdAt: iso(LAST),
    startedAt: null,
    finishedAt: null,
    ...extra,
  };
}

const RESULT = { initialBalance: 10000, finalBalance: 10007.79, profit: 7.79, profitRate: 0.000779, maxDrawdown: 0.0012, totalTrades: 2, winRate: 1, baseAsset: 0, quoteAsset: 10007.79, baseFee: 0, quoteFee: 0.208 };

function server(onRun: { current: Run }, post: () => Response = () => jsonResponse(makeRun('queued'), 202)) {
  return fakeFetch((url, init) => {
    const p = url.pathname;
    if (p === '/api/v1/kline/symbols') return jsonResponse({ symbols: ['BTCUSDT'] });
    if (p === '/api/v1/kline/intervals') return jsonResponse({ intervals: ['1m', '1h', '1d'] });
    if (p === '/api/v1/strategies') return jsonResponse({ strategies: [{ name: 'Test template.', file: 'test_template.py', description: 'Test template.', code: TEMPLATE }] });
    if (p.endsWith('/next')) return jsonResponse({ data: kline(FIRST) });
    if (p.endsWith('/previous')) return jsonResponse({ data: kline(LAST) });
    if (p === '/api/v1/kline/BTCUSDT/1h') {
      const start = Number(url.searchParams.get('start_time'));
      const end = Number(url.searchParams.get('end_time'));
      const data = [];
      for (let t = FIRST; t <= LAST; t += HOUR) if (t > start && t <= end) data.push(kline(t));
      return jsonResponse({ symbol: 'BTCUSDT', interval: '1h', count: data.length, data: data.slice(0, 1000) });
    }
    if (p === '/api/v1/backtests' && init.method === 'POST') return post();
    if (p === '/api/v1/backtests') return jsonResponse({ runs: [{ ...onRun.current, name: 'Test template.', nameIsDefault: true, tags: [] }], next: null });
    if (p === '/api/v1/backtests/7' && init.method === 'PATCH') return jsonResponse({ ...onRun.current, ...JSON.parse(String(init.body)) });
    if (p === '/api/v1/backtests/7' && init.method === 'DELETE')
      return onRun.current.status === 'cancelled' ? jsonResponse(onRun.current, 400) : jsonResponse(makeRun('running'));
    if (p === '/api/v1/backtests/7') return jsonResponse(onRun.current);
    if (p === '/api/v1/backtests/7/trades') return jsonResponse({ total: fills.length, trades: fills });
    if (p === '/api/v1/backtests/7/equity')
      return jsonResponse({
        total: 3,
        timestamp: [FIRST, FIRST + HOUR, FIRST + 2 * HOUR],
        equity: [10000, 9990, 10007.79],
        balance: [10000, 0, 10007.79],
        position: [0, 1, 0],
        drawdown: [0, 0.001, 0],
        buyHold: [10000, 10100, 10200],
        periods: { months: [{ period: '2024-01', equity: 10007.79, return: 0.000779 }], years: [{ period: '2024', equity: 10007.79, return: 0.000779 }] },
      });
    if (p === '/api/v1/backtests/8') return jsonResponse(makeRun('succeeded', { id: '8', result: RESULT, request: { ...makeRun('succeeded').request, strategyParams: { lookback: 30 }, code: TEMPLATE.replace('pass', 'return') } }));
    if (p === '/api/v1/backtests/8/equity') return jsonResponse({ total: 1, timestamp: [FIRST], equity: [10000], balance: [10000], position: [0], drawdown: [0] });
    return jsonResponse({ detail: 'not found' }, 404);
  });
}

function setup(post?: () => Response) {
  const current = { current: makeRun('running') };
  const net = server(current, post);
  const client = createClient({ fetch: net.fetch });
  const user = userEvent.setup();
  const view = render(
    <I18nProvider lang="en">
      <App client={client} />
    </I18nProvider>,
  );
  return { net, current, user, view, client };
}

async function pickTemplateAndRun(user: ReturnType<typeof userEvent.setup>) {
  await waitFor(() => expect(screen.getByRole('option', { name: 'Test template' })).toBeInTheDocument());
  await waitFor(() => expect(screen.getByLabelText('Start (UTC)')).toHaveValue('2024-01-01T00:00'));
  await user.selectOptions(screen.getByTestId('template-picker'), 'test_template.py');
  await user.click(screen.getByTestId('run-button'));
  await waitFor(() => expect(FakeEventSource.instances.length).toBeGreaterThan(0));
}

describe('App', () => {
  beforeEach(() => {
    window.history.replaceState(null, '', '/');
    FakeEventSource.instances = [];
    (globalThis as unknown as { EventSource: unknown }).EventSource = FakeEventSource;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs the chosen template with the form\'s settings, shows fills live and the results at the end', async () => {
    const { net, current, user } = setup();
    await pickTemplateAndRun(user);

    const post = net.calls.find((c) => c.method === 'POST')!;
    expect(post.url).toBe('/api/v1/backtests');
    expect(post.body).toEqual({
      symbol: 'BTCUSDT',
      interval: '1h',
      startTime: '2024-01-01T00:00:00Z',
      endTime: '2024-01-05T03:00:00Z',
      initialBalance: 10000,
      feeRate: 0.001,
      strategyParams: { lookback: 20, klineWndSize: 60 },
      market: 'spot',
      fill: 'seed',
      slippage: 0,
      intrabar: 'pessimistic',
      code: TEMPLATE,
    });
    expect(screen.getByTestId('run-button')).toHaveTextContent('Stop');

    const es = FakeEventSource.last();
    expect(es.url).toBe('/api/v1/backtests/7/events');
    act(() => {
      es.emit('progress', { progress: 0.5 });
      es.emit('fill', fills[0]);
      es.emit('log', { text: 'bought 1' });
    });
    await waitFor(() => expect(screen.getByTestId('tab-fills')).toHaveTextContent('1'));
    expect(screen.getByTestId('progress')).toHaveAttribute('value', '0.5');
    await waitFor(() => expect(screen.getByTestId('output')).toHaveTextContent('bought 1'));

    current.current = makeRun('succeeded', { result: RESULT, metrics: { sharpe: 2.5 }, logs: 'bought 1\nsold 1\n' });
    act(() => es.emit('end', current.current));
    await waitFor(() => expect(screen.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded'));
    await waitFor(() => expect(screen.getByTestId('tab-fills')).toHaveTextContent('2'));

    const cards = within(screen.getByTestId('metric-cards')).getAllByRole('listitem');
    expect(cards.find((c) => c.dataset.metric === 'finalBalance')?.dataset.value).toBe('10007.79');
    expect(cards.find((c) => c.dataset.metric === 'sharpe')).toHaveTextContent('2.50');
    expect(screen.getByTestId('report-link')).toHaveAttribute('href', '/api/v1/backtests/7/report.html');
    expect(screen.getByTestId('output')).toHaveTextContent('sold 1');

    await user.click(screen.getByTestId('tab-fills'));
    expect(screen.getByTestId('trade-count')).toHaveAttribute('data-count', '2');
  });

  it('shows a failed run\'s message and highlights its line in the editor', async () => {
    const { current, user } = setup();
    await pickTemplateAndRun(user);
    current.current = makeRun('failed', { error: { type: 'NameError', message: "name 'x' is not defined", line: 12 } });
    act(() => FakeEventSource.last().emit('end', current.current));
    const banner = await screen.findByTestId('run-error');
    expect(banner).toHaveTextContent("NameError: name 'x' is not defined");
    expect(within(banner).getByRole('button', { name: 'Go to line 12' })).toBeInTheDocument();
    // line 12 of the template is the body of run()
    await waitFor(() => expect(document.querySelector('[data-fail-line]')?.textContent?.trim()).toBe('pass'));
  });

  it('stops a running backtest', async () => {
    const { net, user } = setup();
    await pickTemplateAndRun(user);
    await user.click(screen.getByTestId('run-button'));
    await waitFor(() => expect(net.calls.some((c) => c.method === 'DELETE' && c.url === '/api/v1/backtests/7')).toBe(true));
    act(() => FakeEventSource.last().emit('end', makeRun('cancelled')));
    await waitFor(() => expect(screen.getByTestId('run-status')).toHaveAttribute('data-status', 'cancelled'));
    expect(screen.getByTestId('run-button')).toHaveTextContent('Run');
  });

  it('believes the run when a Stop is answered with an error status but the run was cancelled', async () => {
    const { current, user } = setup();
    // the same fake server, except DELETE answers 400 with the cancelled run as its body
    current.current = makeRun('running');
    await pickTemplateAndRun(user);
    current.current = makeRun('cancelled');
    await user.click(screen.getByTestId('run-button'));
    await waitFor(() => expect(screen.getByTestId('run-status')).toHaveAttribute('data-status', 'cancelled'));
    expect(screen.queryByTestId('notice')?.textContent ?? '').not.toMatch(/400|Bad Request/);
  });

  it('runs on Ctrl+Enter', async () => {
    const { net, user } = setup();
    await waitFor(() => expect(screen.getByLabelText('Start (UTC)')).toHaveValue('2024-01-01T00:00'));
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(net.calls.filter((c) => c.method === 'POST')).toHaveLength(1));
  });

  it('does not send a form with errors, and says why', async () => {
    const { net, user } = setup();
    await waitFor(() => expect(screen.getByLabelText('Start (UTC)')).toHaveValue('2024-01-01T00:00'));
    await user.clear(screen.getByLabelText('Initial balance'));
    await user.click(screen.getByTestId('run-button'));
    expect(screen.getByTestId('notice')).toHaveTextContent('Fix the highlighted fields first');
    expect(net.calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('puts a server-side 400 next to the field it names', async () => {
    const { user } = setup(() => jsonResponse({ detail: 'feeRate is too high', field: 'feeRate' }, 400));
    await waitFor(() => expect(screen.getByLabelText('Start (UTC)')).toHaveValue('2024-01-01T00:00'));
    await user.click(screen.getByTestId('run-button'));
    await waitFor(() => expect(screen.getByLabelText('Fee rate (%)')).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByText('feeRate: feeRate is too high', { selector: '.field-error' })).toBeInTheDocument();
    expect(screen.getByTestId('notice')).toHaveTextContent('feeRate is too high');
  });

  it('runs on futures with its settings, and shows funding, liquidations, orders and reasons', async () => {
    const { net, current, user } = setup();
    await waitFor(() => expect(screen.getByLabelText('Start (UTC)')).toHaveValue('2024-01-01T00:00'));
    await user.selectOptions(screen.getByLabelText('Market'), 'futures');
    await user.clear(screen.getByLabelText('Leverage (×)'));
    await user.type(screen.getByLabelText('Leverage (×)'), '5');
    await user.selectOptions(screen.getByLabelText('Orders fill'), 'close');
    await user.clear(screen.getByLabelText('Slippage (%)'));
    await user.type(screen.getByLabelText('Slippage (%)'), '0.02');
    await pickTemplateAndRun(user);
    const post = net.calls.find((c) => c.method === 'POST')!;
    expect(post.body).toMatchObject({ market: 'futures', leverage: 5, marginMode: 'isolated', fill: 'close', slippage: 0.0002, intrabar: 'pessimistic', feeRate: 0.001 });
    expect(post.body).not.toHaveProperty('makerFee');
    // kept with the form across a reload
    expect(JSON.parse(localStorage.getItem('candlebox.form')!)).toMatchObject({ market: 'futures', leverage: '5', fill: 'close', slippagePct: '0.02' });

    const liquidation: Trade = { timestamp: iso(FIRST + 9 * HOUR), type: 'liquidation', price: 91.2, amount: 1, balance: 9979.8, fee: 0.0912, reason: 'liquidation', slippage: 0 };
    current.current = makeRun('succeeded', {
      result: {
        ...RESULT,
        market: 'futures',
        leverage: 5,
        marginMode: 'isolated',
        fundingPaid: 1.25,
        liquidations: 1,
        funding: [{ timestamp: iso(FIRST + 8 * HOUR), rate: 0.0001, price: 100, position: 1, amount: 0.01 }],
        orders: [{ id: 1, side: 'sell', type: 'stop', amount: 1, price: null, stop: 95, reduceOnly: true, tag: 'guard', status: 'cancelled' }],
      },
      dataQuality: { ambiguousKlines: 1, droppedOrders: 0, fundingTimes: 1, fundingSkipped: 0 },
    });
    act(() => {
      FakeEventSource.last().emit('fill', liquidation);
      FakeEventSource.last().emit('end', current.current);
    });
    await waitFor(() => expect(screen.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded'));
    const cards = within(screen.getByTestId('metric-cards')).getAllByRole('listitem');
    expect(cards.find((c) => c.dataset.metric === 'fundingPaid')).toHaveTextContent('Funding paid+1.25');
    expect(cards.find((c) => c.dataset.metric === 'liquidations')).toHaveTextContent('Liquidations1');
    expect(screen.getByTestId('ambiguous-note')).toHaveTextContent('the stop-loss was taken');

    await user.click(screen.getByTestId('tab-fills'));
    expect(within(screen.getByTestId('order-list')).getByText('Cancelled')).toBeInTheDocument();
    expect(screen.getByTestId('funding-list')).toHaveTextContent('Funding payments: 1, +0.01 in all');
  });

  it('puts a server-side 400 on a trading setting next to it', async () => {
    const { user } = setup(() => jsonResponse({ detail: 'leverage 100 is not allowed for BTCUSDT', field: 'leverage' }, 400));
    await waitFor(() => expect(screen.getByLabelText('Start (UTC)')).toHaveValue('2024-01-01T00:00'));
    await user.selectOptions(screen.getByLabelText('Market'), 'futures');
    await user.click(screen.getByTestId('run-button'));
    await waitFor(() => expect(screen.getByLabelText('Leverage (×)')).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByLabelText('Leverage (×)')).toHaveAccessibleDescription('leverage: leverage 100 is not allowed for BTCUSDT');
  });

  it('keeps the code across a reload', async () => {
    localStorage.setItem('candlebox.code', 'class Strategy(IStrategy):\n    pass  # mine\n');
    setup();
    await waitFor(() => expect(screen.getByTestId('code-editor')).toHaveTextContent('pass # mine'));
  });

  it('saves edits to the code', async () => {
    const { user } = setup();
    await waitFor(() => expect(screen.getByRole('option', { name: 'Test template' })).toBeInTheDocument());
    await user.selectOptions(screen.getByTestId('template-picker'), 'test_template.py');
    await waitFor(() => expect(localStorage.getItem('candlebox.code')).toBe(TEMPLATE), { timeout: 2000 });
    expect(screen.getByTestId('notice')).toHaveTextContent('Loaded Test template');
  });

  it('opens the API reference in one click, and switches to Chinese', async () => {
    const { user } = setup();
    await user.click(screen.getByTestId('reference-button'));
    const ref = screen.getByRole('dialog', { name: 'Strategy API reference' });
    expect(ref).toHaveTextContent('buy(price, amount, timestamp) -> bool');
    expect(ref).toHaveTextContent('calculate_macd(data, fast=12, slow=26, signal=9)');
    await user.type(within(ref).getByRole('searchbox'), 'rsi');
    expect(ref).not.toHaveTextContent('sell_all');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    await user.click(screen.getByTestId('lang-toggle'));
    expect(screen.getByTestId('run-button')).toHaveTextContent('运行');
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it('follows the run in the URL, and a deep link to /runs/:id opens that run', async () => {
    const { user, current } = setup();
    await pickTemplateAndRun(user);
    expect(window.location.pathname).toBe('/runs/7');
    current.current = makeRun('succeeded', { result: RESULT });
    act(() => FakeEventSource.last().emit('end', current.current));
    await waitFor(() => expect(screen.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded'));
    cleanup();

    // a reload at /runs/8 shows run 8, whatever ran last
    window.history.replaceState(null, '', '/runs/8');
    const again = setup();
    await waitFor(() => expect(screen.getByTestId('run-status')).toHaveAttribute('data-run-id', '8'));
    expect(again.net.calls.some((c) => c.url === '/api/v1/backtests/8?view=summary')).toBe(true);
    expect(screen.getByTestId('nav-workspace')).toHaveAttribute('aria-current', 'page');
  });

  it('clears a failed run’s error and red line when the code changes, and shows its traceback', async () => {
    const { current, user } = setup();
    await pickTemplateAndRun(user);
    current.current = makeRun('failed', { error: { type: 'NameError', message: "name 'x' is not defined", line: 12, traceback: 'Traceback (most recent call last):\n  File "strategy.py", line 12, in run\nNameError: name \'x\' is not defined' } });
    act(() => FakeEventSource.last().emit('end', current.current));
    await screen.findByTestId('run-error');
    expect(screen.getByTestId('traceback')).toHaveTextContent('File "strategy.py", line 12, in run');
    await waitFor(() => expect(document.querySelector('[data-fail-line]')).not.toBeNull());
    // the starter replaces the failed code: the bar and the line go, the run's failure stays in its results
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    await user.selectOptions(screen.getByTestId('template-picker'), 'starter.py');
    await waitFor(() => expect(screen.queryByTestId('run-error')).toBeNull());
    expect(document.querySelector('[data-fail-line]')).toBeNull();
    expect(screen.getByTestId('run-failed')).toHaveTextContent("NameError: name 'x' is not defined");
  });

  it('remembers the loaded template, marks it edited, and asks before replacing edited code', async () => {
    const { user } = setup();
    await waitFor(() => expect(screen.getByRole('option', { name: 'Test template' })).toBeInTheDocument());
    await user.selectOptions(screen.getByTestId('template-picker'), 'test_template.py');
    expect(screen.getByTestId('template-picker')).toHaveValue('test_template.py');
    expect(JSON.parse(localStorage.getItem('candlebox.template')!)).toEqual({ file: 'test_template.py', code: TEMPLATE });
    await user.click(document.querySelector('.cm-content')!);
    await user.keyboard('# mine');
    await waitFor(() => expect(screen.getByRole('option', { name: 'Test template (edited)' })).toBeInTheDocument());
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    await user.selectOptions(screen.getByTestId('template-picker'), 'starter.py');
    expect(confirm).toHaveBeenCalledWith('Replace your edited code with “Starter (SMA cross)”? (Ctrl+Z brings it back)');
    expect(screen.getByTestId('code-editor')).toHaveTextContent('# mine');
    expect(screen.getByTestId('template-picker')).toHaveValue('test_template.py');
    confirm.mockRestore();
  });

  it('says why a run waits: queued behind other runs, then running', async () => {
    const { user } = setup(() => jsonResponse(makeRun('queued', { waiting: { ahead: 2, workers: 2, workersReady: 2, workersWarm: 1, workersBusy: 2 } }), 202));
    await pickTemplateAndRun(user);
    expect(await screen.findByTestId('waiting')).toHaveTextContent('Queued behind 2 runs · workers are still warming up');
    act(() => FakeEventSource.last().emit('progress', { progress: 0.25 }));
    await waitFor(() => expect(screen.getByTestId('waiting')).toHaveTextContent('Running: 25%'));
  });

  it('lists round trips with their P&L, draws buy & hold, and tables the monthly returns', async () => {
    const { current, user } = setup();
    await pickTemplateAndRun(user);
    current.current = makeRun('succeeded', { result: RESULT, metrics: { roundTrips: 1 } });
    act(() => FakeEventSource.last().emit('end', current.current));
    await waitFor(() => expect(screen.getByTestId('equity-chart')).toHaveAttribute('data-buy-hold-points', '3'));
    await user.click(screen.getByTestId('tab-trips'));
    // buy 1 @ 100 (fee 0.1), sell 1 @ 108 (fee 0.108): 8 − 0.208
    const summary = screen.getByTestId('trip-summary');
    expect(summary).toHaveAttribute('data-closed', '1');
    expect(Number(summary.dataset.netPnl)).toBeCloseTo(7.792, 10);
    expect(summary).toHaveTextContent('1 round trips · net P&L 7.79 · 1 won');
    await user.click(screen.getByTestId('tab-returns'));
    const cell = document.querySelector('[data-month="2024-01"]')!;
    expect(cell).toHaveTextContent('0.08%');
    expect(document.querySelector('[data-year="2024"] .total')).toHaveTextContent('0.08%');
  });

  it('has a history page that opens a run, renames it, and compares two runs with their parameters and code', async () => {
    window.history.replaceState(null, '', '/history');
    const { net, user } = setup();
    const open = await screen.findByRole('button', { name: 'Open #7' });
    expect(open.closest('li')!.querySelector('[data-testid=run-params]')).toHaveTextContent('default parameters');
    await user.click(screen.getByRole('button', { name: 'Rename or tag run 7' }));
    await user.type(screen.getByLabelText('Name'), 'First try');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(net.calls.find((c) => c.method === 'PATCH')?.body).toEqual({ name: 'First try', tags: [] }));
    cleanup();

    window.history.replaceState(null, '', '/compare?a=7&b=8');
    setup();
    const params = await screen.findByTestId('compare-params');
    expect(params.querySelector('[data-param="params.lookback"]')).toHaveAttribute('data-differs', 'true');
    expect(params.querySelector('[data-param="symbol"]')).toHaveAttribute('data-differs', 'false');
    const diff = screen.getByTestId('code-diff');
    expect(diff).toHaveAttribute('data-changed', '2');
    expect([...diff.querySelectorAll('[data-kind=removed]')].map((l) => l.textContent)).toEqual(['12−        pass']);
    expect([...diff.querySelectorAll('[data-kind=added]')].map((l) => l.textContent)).toEqual(['12+        return']);
  });

  it('moves between the pages without reloading: workspace → history → workspace', async () => {
    const { user } = setup();
    await waitFor(() => expect(screen.getByLabelText('Start (UTC)')).toHaveValue('2024-01-01T00:00'));
    await user.click(screen.getByTestId('nav-history'));
    expect(window.location.pathname).toBe('/history');
    await screen.findByRole('button', { name: 'Open #7' });
    await user.click(screen.getByTestId('nav-workspace'));
    await waitFor(() => expect(screen.getByTestId('run-button')).toBeInTheDocument());
  });
});
