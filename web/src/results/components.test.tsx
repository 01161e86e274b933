import { describe, expect, it, vi } from 'vitest';
import { render, screen, within, fireEvent } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nProvider } from '../i18n/i18n';
import { MetricCards } from './MetricCards';
import { TradeList, ROW_HEIGHT, sortTrades } from './TradeList';
import { OutputPane } from './OutputPane';
import type { Trade } from '../api/types';

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
    const prices = () => within(screen.getByTestId('trade-table')).getAllByRole('row').slice(1).map((r) => r.children[2].textContent);
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
    expect(text.split('\r\n')[0]).toBe('timestamp,type,price,amount,value,fee,balance');
    expect(text.split('\r\n')).toHaveLength(5);
  });

  it('shows the download of a long list going on', () => {
    inEnglish(<TradeList trades={trades} loading={{ count: 3000, total: 12000 }} fileName="t" />);
    expect(screen.getByText('Loading trades 3000 / 12000…')).toBeInTheDocument();
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
