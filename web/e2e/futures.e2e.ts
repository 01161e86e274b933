// End-to-end, part 3: a futures run (contract §6) through the page against the real server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { launch, screenshot, type Session } from './browser';
import { api, at, chooseSeries, currentRunId, openApp, pickSeries, setCode, waitForStatus } from './helpers';

/** Goes short at 5× whenever flat, with a 1 % stop-loss and a 2 % take-profit; one far limit buy that expires. */
const SHORT_WITH_BRACKETS = `class Strategy(IStrategy):
    def __init__(self):
        super().__init__()
        self.placed = False

    def run(self, context, kline, params):
        if not self.placed:
            self.placed = context.order("buy", 0.001, "limit", price=round(kline.close * 0.8, 1), expire_after=2, tag="far") is not None
        if context.position == 0:
            size = int(float(context.balance) * 0.2 * float(context.leverage) / kline.close * 1000) / 1000.0
            if size > 0 and context.sell(kline.close, size):
                context.set_stop_loss(pct=0.01)
                context.set_take_profit(pct=0.02)
`;

interface FuturesRun {
  id: string;
  status: string;
  request: Record<string, unknown>;
  result: Record<string, unknown>;
  dataQuality: Record<string, unknown>;
}

interface ApiTrade {
  type: string;
  reason: string;
  slippage: number;
}

describe('a futures run in the page', () => {
  let s: Session;
  beforeEach(async () => {
    s = await launch();
  });
  afterEach(async () => {
    await s?.close();
  });

  it('goes short at 5× with a stop-loss: the settings round-trip, the trades show their reasons', async () => {
    const { symbol, interval } = await pickSeries();
    await openApp(s.page);
    await chooseSeries(s.page, symbol, interval);
    await s.page.getByRole('button', { name: 'Last 30 days' }).click();
    await s.page.selectOption('#cfg-market', 'futures');
    await s.page.fill('#cfg-leverage', '5');
    await s.page.selectOption('#cfg-margin', 'isolated');
    await s.page.selectOption('#cfg-fill', 'close');
    await s.page.fill('#cfg-slippage', '0.02');
    await setCode(s.page, SHORT_WITH_BRACKETS);
    await s.page.getByTestId('run-button').click();
    expect(await waitForStatus(s.page, ['succeeded', 'failed', 'cancelled'])).toBe('succeeded');
    const id = await currentRunId(s.page);

    // the settings as the server stored them
    const run = await api<FuturesRun>(`/api/v1/backtests/${id}?view=summary`);
    expect(run.request).toMatchObject({ market: 'futures', leverage: 5, marginMode: 'isolated', fill: 'close', slippage: 0.0002, intrabar: 'pessimistic' });
    expect(run.request.makerFee).toBe(run.request.feeRate);
    expect(run.result).toMatchObject({ market: 'futures', leverage: 5, marginMode: 'isolated' });
    const totalTrades = run.result.totalTrades as number;
    expect(totalTrades).toBeGreaterThan(1);

    // every stored trade has a reason; the brackets closed some of the shorts
    const { trades } = await api<{ trades: ApiTrade[] }>(`/api/v1/backtests/${id}/trades?limit=1000`);
    expect(trades[0]).toMatchObject({ type: 'sell', reason: 'order' });
    expect(trades.some((t) => t.reason === 'stop_loss' || t.reason === 'take_profit')).toBe(true);

    // futures cards carry the API's numbers
    const card = (key: string, group = 'result') => s.page.getAttribute(`[data-testid=metric-cards] [data-metric=${key}][data-group=${group}]`, 'data-value');
    expect(Number(await card('fundingPaid'))).toBe(run.result.fundingPaid);
    expect(Number(await card('liquidations'))).toBe(run.result.liquidations);
    expect(Number(await card('leverage'))).toBe(5);
    if (run.dataQuality.fundingTimes === 0) await s.page.waitForSelector('[data-testid=funding-none]');
    if ((run.dataQuality.ambiguousKlines as number) > 0) expect(await s.page.textContent('[data-testid=ambiguous-note]')).toContain('the stop-loss was taken');
    expect(Number(await card('droppedOrders', 'dataQuality'))).toBe(at(run.dataQuality, 'droppedOrders'));

    // markers: bracket exits are named on the chart
    await s.page.waitForFunction(() => Number(document.querySelector('[data-testid=price-chart]')?.getAttribute('data-markers')) > 0);

    // the trade list: every fill, each with its reason and slippage as the API has them
    await s.page.getByTestId('tab-fills').click();
    await s.page.waitForFunction((n) => Number(document.querySelector('[data-testid=trade-count]')?.getAttribute('data-count')) === n, totalTrades, { timeout: 60_000 });
    const rows = await s.page.$$eval('[data-testid=trade-table] tbody tr:not([aria-hidden])', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent ?? '')));
    expect(rows[0].slice(1, 3)).toEqual(['Sell', 'Order']);
    const exits = { stop_loss: 'Stop-loss', take_profit: 'Take-profit' } as Record<string, string>;
    rows.forEach((cells, i) => {
      if (exits[trades[i].reason]) expect(cells[2], `row ${i}`).toBe(exits[trades[i].reason]);
      expect(Number(cells[7]), `row ${i} slippage`).toBeCloseTo(trades[i].slippage, 7);
    });
    expect(rows.some((cells) => cells[2] === 'Stop-loss' || cells[2] === 'Take-profit')).toBe(true);

    // the far limit order expired
    await s.page.waitForSelector('[data-testid=order-list]');
    expect(await s.page.getAttribute('[data-testid=order-list] tr[data-order-id="1"]', 'data-status')).toBe('expired');
    await screenshot(s.page, '20-futures-trades');

    // a reload keeps the settings in the form and shows the run again
    await s.page.reload();
    await s.page.waitForFunction((runId) => document.querySelector('[data-testid=run-status]')?.getAttribute('data-run-id') === runId, id, { timeout: 30_000 });
    expect(await s.page.inputValue('#cfg-market')).toBe('futures');
    expect(await s.page.inputValue('#cfg-leverage')).toBe('5');
    expect(await s.page.inputValue('#cfg-fill')).toBe('close');
    expect(await s.page.inputValue('#cfg-slippage')).toBe('0.02');
    await screenshot(s.page, '21-futures-settings');
  });

  it('holds back a leverage beyond 125 and says why next to the field', async () => {
    await openApp(s.page);
    await s.page.getByRole('button', { name: 'Last 30 days' }).click();
    await s.page.selectOption('#cfg-market', 'futures');
    // the page's own check stops 126; the server is asked only about what passes it
    await s.page.fill('#cfg-leverage', '126');
    await s.page.getByTestId('run-button').click();
    expect(await s.page.getAttribute('#cfg-leverage', 'aria-invalid')).toBe('true');
    expect(await s.page.textContent('#cfg-leverage-error')).toBe('Must be a whole number from 1 to 125');
    expect(await s.page.getAttribute('[data-testid=run-status]', 'data-status')).toBe('idle');
  });
});
