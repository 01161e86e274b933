import { describe, expect, it, vi } from 'vitest';
import { render, screen, within, fireEvent } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nProvider } from '../i18n/i18n';
import { MetricCards } from './MetricCards';
import { TradeList, ROW_HEIGHT, sortTrades } from './TradeList';
import { OutputPane } from './OutputPane';
import { FundingList, OrderList, RunListsPanel } from './RunLists';
import type { FundingPayment, RestingOrder, Run, Trade } from '../api/types';

const inEnglish = (ui: React.ReactNode) => render(<I18nProvider lang="en">{ui}</I18nProvider>);

const trades: Trade[] = [
  { timestamp: '2024-01-01T05:00:00+00:00', type: 'buy', price: 42000, amount: 0.2, balance: 1591.6, fee: 8.4 },
  { timestamp: '2024-01-03T09:00:00+00:00', type: 'sell', price: 45000, amount: 0.2, balance: 10582.6, fee: 9 },
  { timestamp: '2024-01-05T10:00:00+00:00', type: 'buy', price: 40000, amount: 0.25, balance: 572.6, fee: 10 },
];

describe('MetricCards', () => {
  it('shows a card per result field and per metric, with the raw value kept for checking', () => {
    inEnglish(
      <MetricCards
        result={{ initialBalance: 10000, finalBalance: 10582.6, profit: 582.6, profitRate: 0.05826, maxDrawdown: 0.0421, totalTrades: 3, winRate: 1, baseAsset: 0.25, quoteAsset: 572.6, baseFee: 0, quoteFee: 27.4 }}
        metrics={{ sharpe: 1.8, newFancyMetric: 7 }}
      />,
    );
    const cards = screen.getAllByRole('listitem');
    expect(cards).toHaveLength(13);
    const profitRate = cards.find((c) => c.dataset.metric === 'profitRate')!;
    expect(profitRate.dataset.value).toBe('0.05826');
    expect(within(profitRate).getByText('Return')).toBeInTheDocument();
    expect(within(profitRate).getByText('+5.83%')).toBeInTheDocument();
    expect(profitRate).toHaveClass('up');
    const unknown = cards.find((c) => c.dataset.metric === 'newFancyMetric')!;
    expect(unknown).toHaveTextContent('New fancy metric');
  });

  const SPOT = { initialBalance: 10000, finalBalance: 10100, profit: 100, profitRate: 0.01, maxDrawdown: 0.02, totalTrades: 2, winRate: 1, baseAsset: 0, quoteAsset: 10100, baseFee: 0, quoteFee: 2 };

  it('shows funding paid and liquidations for a futures run', () => {
    inEnglish(
      <MetricCards
        result={{ ...SPOT, market: 'futures', leverage: 5, marginMode: 'isolated', fundingPaid: -7.375, liquidations: 1, funding: [], orders: [] }}
        metrics={null}
        extra={{ dataQuality: { fundingTimes: 3, fundingSkipped: 0, ambiguousKlines: 0, droppedOrders: 0 } }}
      />,
    );
    const card = (key: string, group = 'result') => screen.getAllByRole('listitem').find((c) => c.dataset.metric === key && c.dataset.group === group);
    expect(card('fundingPaid')).toHaveTextContent('Funding paid-7.38');
    expect(card('fundingPaid')?.dataset.value).toBe('-7.375');
    expect(card('liquidations')).toHaveTextContent('Liquidations1');
    expect(card('leverage')).toHaveTextContent('Leverage5');
    expect(card('marginMode')).toHaveTextContent('Margin modeisolated');
    expect(card('fundingTimes', 'dataQuality')).toHaveTextContent('Funding times3');
    expect(card('droppedOrders', 'dataQuality')).toHaveTextContent('Dropped orders0');
    // none ambiguous: neither card nor sentence
    expect(card('ambiguousKlines', 'dataQuality')).toBeUndefined();
    expect(screen.queryByTestId('ambiguous-note')).toBeNull();
    // the lists are not cards
    expect(card('funding')).toBeUndefined();
    expect(card('orders')).toBeUndefined();
  });

  it('leaves the futures cards out of a spot run', () => {
    inEnglish(<MetricCards result={{ ...SPOT, market: 'spot', leverage: 1, marginMode: 'isolated', fundingPaid: 0, liquidations: 0 }} metrics={null} extra={{ dataQuality: { fundingTimes: 0, fundingSkipped: 0 } }} />);
    const shown = screen.getAllByRole('listitem').map((c) => c.dataset.metric);
    expect(shown).toContain('market');
    for (const key of ['leverage', 'marginMode', 'fundingPaid', 'liquidations', 'fundingTimes', 'fundingSkipped']) expect(shown, key).not.toContain(key);
  });

  it('says so when a futures run had no funding data, in a sentence rather than a card', () => {
    const quality = { fundingTimes: 0, fundingSkipped: 0, funding: "no funding data in the run's range: no funding was paid" };
    const { rerender } = inEnglish(<MetricCards result={{ ...SPOT, market: 'futures', fundingPaid: 0 }} metrics={null} extra={{ dataQuality: quality }} />);
    expect(screen.getByTestId('funding-none')).toHaveTextContent('No funding data in this range: no funding was paid');
    expect(screen.getAllByRole('listitem').find((c) => c.dataset.metric === 'funding')).toBeUndefined();
    rerender(
      <I18nProvider lang="en">
        <MetricCards result={{ ...SPOT, market: 'futures', fundingPaid: 0 }} metrics={null} extra={{ dataQuality: { fundingTimes: 3, fundingSkipped: 0 } }} />
      </I18nProvider>,
    );
    expect(screen.queryByTestId('funding-none')).toBeNull();
  });

  it('says what an ambiguous kline is when there were some', () => {
    inEnglish(<MetricCards result={{ ...SPOT, market: 'futures' }} metrics={null} extra={{ dataQuality: { ambiguousKlines: 2 } }} />);
    const card = screen.getAllByRole('listitem').find((c) => c.dataset.metric === 'ambiguousKlines')!;
    expect(card).toHaveTextContent('Ambiguous klines2');
    expect(screen.getByTestId('ambiguous-note')).toHaveTextContent('2 klines with the stop-loss and take-profit inside one kline: the stop-loss was taken');
  });

  it('says there is nothing before a run', () => {
    inEnglish(<MetricCards result={null} metrics={null} />);
    expect(screen.getByText('Run a backtest to see its metrics')).toBeInTheDocument();
  });

  it('speaks Chinese', () => {
    render(
      <I18nProvider lang="zh">
        <MetricCards result={{ maxDrawdown: 0.1 } as never} metrics={null} />
      </I18nProvider>,
    );
    expect(screen.getByText('最大回撤')).toBeInTheDocument();
  });
});

describe('TradeList', () => {
  it('lists the fills with their count', () => {
    inEnglish(<TradeList trades={trades} loading={null} fileName="t" />);
    expect(screen.getByTestId('trade-count')).toHaveTextContent('3 trades');
    const rows = within(screen.getByTestId('trade-table')).getAllByRole('row');
    expect(rows).toHaveLength(4);
    expect(rows[1]).toHaveTextContent('2024-01-01 05:00');
    expect(rows[1]).toHaveTextContent('8400');
  });

  it('sorts by a column, and the other way on a second click', async () => {
    const user = userEvent.setup();
    inEnglish(<TradeList trades={trades} loading={null} fileName="t" />);
    await user.click(screen.getByRole('button', { name: 'Sort by Price' }));
    const prices = () => within(screen.getByTestId('trade-table')).getAllByRole('row').slice(1).map((r) => r.children[3].textContent);
    expect(prices()).toEqual(['45000', '42000', '40000']);
    expect(screen.getByRole('columnheader', { name: /Price/ })).toHaveAttribute('aria-sort', 'descending');
    await user.click(screen.getByRole('button', { name: 'Sort by Price' }));
    expect(prices()).toEqual(['40000', '42000', '45000']);
  });

  it('sorts ties in time order', () => {
    const same = [trades[0], { ...trades[1], price: 42000 }, trades[2]];
    expect(sortTrades(same, 'price', 'desc').map((t) => t.timestamp)).toEqual([trades[0].timestamp, trades[1].timestamp, trades[2].timestamp]);
  });

  it('draws only the rows in view for a long list', () => {
    const many: Trade[] = Array.from({ length: 20_000 }, (_, i) => ({ ...trades[i % 3], timestamp: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString() }));
    inEnglish(<TradeList trades={many} loading={null} fileName="t" height={300} />);
    expect(screen.getByTestId('trade-count')).toHaveAttribute('data-count', '20000');
    const drawn = () => screen.getByTestId('trade-table').querySelectorAll('tbody tr:not([aria-hidden])');
    expect(drawn().length).toBeLessThan(60);
    const scroller = screen.getByTestId('trade-table').parentElement!;
    scroller.scrollTop = 10_000 * ROW_HEIGHT;
    fireEvent.scroll(scroller);
    expect((drawn()[0] as HTMLElement).getAttribute('aria-rowindex')).toBe(String(10_000 - 12 + 2));
  });

  it('downloads the list as CSV in the order shown', async () => {
    const created: Blob[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => (created.push(b), 'blob:x'));
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    inEnglish(<TradeList trades={trades} loading={null} fileName="run-7-trades" />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Download CSV' }));
    expect(click).toHaveBeenCalled();
    const text = await created[0].text();
    expect(text.split('\r\n')[0]).toBe('timestamp,type,price,amount,value,fee,balance,reason,slippage');
    expect(text.split('\r\n')).toHaveLength(5);
  });

  it('shows each fill\'s reason and slippage, and a liquidation as such', () => {
    const futures: Trade[] = [
      { timestamp: '2024-01-01T05:00:00+00:00', type: 'sell', price: 42000, amount: 0.5, balance: 9989.5, fee: 10.5, reason: 'order', slippage: 0 },
      { timestamp: '2024-01-01T09:00:00+00:00', type: 'buy', price: 42840.84, amount: 0.5, balance: 9557.5, fee: 10.71, reason: 'stop_loss', slippage: 4.2 },
      { timestamp: '2024-01-02T09:00:00+00:00', type: 'sell', price: 43000, amount: 1, balance: 9546.8, fee: 10.75, reason: 'order', slippage: 0 },
      { timestamp: '2024-01-03T02:00:00+00:00', type: 'liquidation', price: 34605.2, amount: 1, balance: 950.3, fee: 8.65, reason: 'liquidation', slippage: 0 },
    ];
    inEnglish(<TradeList trades={[...futures, trades[0]]} loading={null} fileName="t" />);
    const header = within(screen.getByTestId('trade-table')).getAllByRole('columnheader').map((h) => h.textContent);
    expect(header).toEqual(['Time (UTC) ▲', 'Side', 'Reason', 'Price', 'Amount', 'Value', 'Fee', 'Slippage', 'Balance']);
    const rows = within(screen.getByTestId('trade-table')).getAllByRole('row').slice(1);
    const cells = (i: number) => [...rows[i].children].map((c) => c.textContent);
    expect(cells(1)).toEqual(['2024-01-01 09:00', 'Buy', 'Stop-loss', '42840.84', '0.5', '21420.42', '10.71', '4.2', '9557.5']);
    expect(cells(3).slice(1, 3)).toEqual(['Liquidation', 'Liquidation']);
    expect(rows[3].children[1]).toHaveClass('liq');
    // a run made before reasons existed
    expect(cells(4)[2]).toBe('—');
    expect(cells(4)[7]).toBe('—');
  });

  it('sorts by reason', async () => {
    const user = userEvent.setup();
    const withReasons: Trade[] = [
      { ...trades[0], reason: 'take_profit' },
      { ...trades[1], reason: 'limit' },
      { ...trades[2], reason: 'stop_loss' },
    ];
    inEnglish(<TradeList trades={withReasons} loading={null} fileName="t" />);
    await user.click(screen.getByRole('button', { name: 'Sort by Reason' }));
    expect(within(screen.getByTestId('trade-table')).getAllByRole('row').slice(1).map((r) => r.children[2].textContent)).toEqual(['Take-profit', 'Stop-loss', 'Limit order']);
  });

  it('shows the download of a long list going on', () => {
    inEnglish(<TradeList trades={trades} loading={{ count: 3000, total: 12000 }} fileName="t" />);
    expect(screen.getByText('Loading trades 3000 / 12000…')).toBeInTheDocument();
  });
});

describe('OrderList', () => {
  const orders: RestingOrder[] = [
    { id: 1, side: 'buy', type: 'limit', amount: 0.5, price: 41000, stop: null, reduceOnly: false, tag: 'dip', status: 'filled' },
    { id: 2, side: 'sell', type: 'stop', amount: 0.5, price: null, stop: 39500, reduceOnly: true, tag: null, status: 'cancelled' },
    { id: 3, side: 'buy', type: 'stop_limit', amount: 1, price: 45100, stop: 45000, reduceOnly: false, tag: null, status: 'expired' },
    { id: 4, side: 'sell', type: 'limit', amount: 1, price: 50000, stop: null, reduceOnly: false, tag: null, status: 'open' },
  ];

  it('lists every resting order with its final status', () => {
    inEnglish(<OrderList orders={orders} />);
    const list = screen.getByTestId('order-list');
    expect(within(list).getByRole('heading')).toHaveTextContent('Orders (4)');
    const rows = within(list).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.dataset.status)).toEqual(['filled', 'cancelled', 'expired', 'open']);
    expect([...rows[0].children].map((c) => c.textContent)).toEqual(['1', 'Buy', 'Limit', '0.5', '41000', '—', '', 'dip', 'Filled']);
    expect([...rows[1].children].map((c) => c.textContent)).toEqual(['2', 'Sell', 'Stop', '0.5', '—', '39500', '✓', '', 'Cancelled']);
    expect(rows[2]).toHaveTextContent('Stop-limit');
    expect(rows[3]).toHaveTextContent('Open at the end');
  });

  it('shows nothing for a run without resting orders', () => {
    const { container } = inEnglish(<OrderList orders={[]} />);
    expect(container).toBeEmptyDOMElement();
  });
});

describe('FundingList', () => {
  // docs/orders.md's worked example: a short of 0.5 BTC across three funding times
  const funding: FundingPayment[] = [
    { timestamp: '2024-01-01T00:00:00+00:00', rate: 0.0001, price: 60000, position: -0.5, amount: -3 },
    { timestamp: '2024-01-01T08:00:00+00:00', rate: -0.00005, price: 61000, position: -0.5, amount: 1.525 },
    { timestamp: '2024-01-01T16:00:00+00:00', rate: 0.0002, price: 59000, position: -0.5, amount: -5.9 },
  ];

  it('is collapsed under its count and total, and lists the payments when opened', async () => {
    inEnglish(<FundingList funding={funding} market="futures" />);
    const list = screen.getByTestId('funding-list');
    expect(list).not.toHaveAttribute('open');
    expect(list.querySelector('summary')).toHaveTextContent('Funding payments: 3, -7.38 in all');
    expect(within(list).queryAllByRole('row')).toHaveLength(0);
    await userEvent.setup().click(list.querySelector('summary')!);
    const rows = within(list).getAllByRole('row').slice(1);
    expect([...rows[1].children].map((c) => c.textContent)).toEqual(['2024-01-01 08:00', '-0.005%', '61000', '-0.5', '1.525']);
    expect(rows[1].children[4]).toHaveClass('down');
    expect(rows[0].children[4]).toHaveClass('up');
  });

  it('shows nothing for a spot run', () => {
    const { container } = inEnglish(<FundingList funding={funding} market="spot" />);
    expect(container).toBeEmptyDOMElement();
  });
});

describe('RunListsPanel', () => {
  const order: RestingOrder = { id: 1, side: 'sell', type: 'stop', amount: 1, price: null, stop: 95, reduceOnly: true, tag: null, status: 'filled' };
  const summary = (klinesUsed: number) =>
    ({
      id: 'r1',
      status: 'succeeded',
      progress: 1,
      request: { symbol: 'BTCUSDT', interval: '1h', initialBalance: 10000, feeRate: 0.001, strategyParams: {} },
      result: { market: 'futures', fundingPaid: 0.5 },
      metrics: null,
      dataQuality: { klinesUsed },
      error: null,
      logs: '',
      createdAt: null,
      startedAt: null,
      finishedAt: null,
    }) as unknown as Run;
  const fullRun = (run: Run) => ({ ...run, result: { ...run.result, orders: [order], funding: [{ timestamp: '2024-01-01T08:00:00+00:00', rate: 0.0001, price: 5000, position: 1, amount: 0.5 }] } }) as Run;

  it('reads the whole run once for its orders and funding (the summary has neither)', async () => {
    const getBacktestFull = vi.fn(async (_id: string) => fullRun(summary(720)));
    inEnglish(<RunListsPanel client={{ getBacktestFull }} run={summary(720)} />);
    expect(await screen.findByTestId('order-list')).toHaveTextContent('Filled');
    expect(screen.getByTestId('funding-list')).toHaveTextContent('Funding payments: 1, +0.50 in all');
    expect(getBacktestFull).toHaveBeenCalledTimes(1);
    expect(getBacktestFull.mock.calls[0][0]).toBe('r1');
  });

  it('asks first when the run is long (the whole run is large)', async () => {
    const getBacktestFull = vi.fn(async () => fullRun(summary(500_000)));
    inEnglish(<RunListsPanel client={{ getBacktestFull }} run={summary(500_000)} />);
    expect(getBacktestFull).not.toHaveBeenCalled();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Show orders and funding (downloads the whole run: 500,000 klines)' }));
    expect(await screen.findByTestId('order-list')).toBeInTheDocument();
    expect(getBacktestFull).toHaveBeenCalledTimes(1);
  });

  it('uses the lists when the result already has them', () => {
    const getBacktestFull = vi.fn();
    inEnglish(<RunListsPanel client={{ getBacktestFull }} run={fullRun(summary(10))} />);
    expect(screen.getByTestId('order-list')).toBeInTheDocument();
    expect(getBacktestFull).not.toHaveBeenCalled();
  });
});

describe('OutputPane', () => {
  it('shows what the strategy printed, and clears it', async () => {
    const onClear = vi.fn();
    inEnglish(<OutputPane logs={'bought 0.1\nsold 0.1\n'} onClear={onClear} />);
    expect(screen.getByTestId('output')).toHaveTextContent('bought 0.1 sold 0.1');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Clear' }));
    expect(onClear).toHaveBeenCalled();
  });
});
