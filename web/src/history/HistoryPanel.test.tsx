import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { I18nProvider } from '../i18n/i18n';
import { HistoryPanel } from './HistoryPanel';
import { ApiError } from '../api/client';
import type { RunPage } from '../api/types';
import { compareRows } from './ComparePanel';

const summary = (id: string, profitRate: number) => ({
  id,
  status: 'succeeded' as const,
  createdAt: '2024-07-20T10:00:00Z',
  request: { symbol: 'BTCUSDT', interval: '1h', initialBalance: 10000, feeRate: 0.001, strategyParams: {} },
  result: { profitRate, maxDrawdown: 0.12, totalTrades: 40, winRate: 0.55 },
});

function Harness({ list, onOpen = () => {}, onCompare = () => {} }: { list: (p?: { before?: string | null }) => Promise<RunPage>; onOpen?: (id: string) => void; onCompare?: () => void }) {
  const [selected, setSelected] = useState<string[]>([]);
  return (
    <I18nProvider lang="en">
      <HistoryPanel
        client={{ listBacktests: list }}
        refreshSeq={0}
        currentId={null}
        selected={selected}
        onToggle={(id) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]))}
        onOpen={onOpen}
        onCompare={onCompare}
      />
    </I18nProvider>
  );
}

describe('HistoryPanel', () => {
  it('lists past runs with their key numbers, newest first, and pages on', async () => {
    const list = vi.fn(async ({ before }: { before?: string | null } = {}): Promise<RunPage> =>
      before ? { runs: [summary('1', -0.02)], next: null } : { runs: [summary('3', 0.1), summary('2', 0.05)], next: '2' },
    );
    const user = userEvent.setup();
    render(<Harness list={list} />);
    await screen.findByText(/#3 BTCUSDT 1h/);
    const row = screen.getByRole('button', { name: 'Open #3' });
    expect(row).toHaveTextContent('+10.00%');
    expect(row).toHaveTextContent('DD 12.00%');
    expect(row).toHaveTextContent('W 55.00%');
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByText(/#1 BTCUSDT 1h/);
    expect(list).toHaveBeenLastCalledWith({ limit: 20, before: '2' });
  });

  it('opens a run, and compares two ticked ones', async () => {
    const onOpen = vi.fn();
    const onCompare = vi.fn();
    const user = userEvent.setup();
    render(<Harness list={async (): Promise<RunPage> => ({ runs: [summary('3', 0.1), summary('2', 0.05), summary('1', 0)], next: null })} onOpen={onOpen} onCompare={onCompare} />);
    await user.click(await screen.findByRole('button', { name: 'Open #2' }));
    expect(onOpen).toHaveBeenCalledWith('2');
    const compare = screen.getByTestId('compare-button');
    expect(compare).toBeDisabled();
    await user.click(screen.getByRole('checkbox', { name: 'Select run 3 for comparison' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select run 1 for comparison' }));
    expect(screen.getByRole('checkbox', { name: 'Select run 2 for comparison' })).toBeDisabled();
    expect(compare).toHaveTextContent('Compare selected (2/2)');
    await user.click(compare);
    expect(onCompare).toHaveBeenCalled();
  });

  it('says so when the server has no history yet', async () => {
    render(<Harness list={async () => Promise.reject(new ApiError(404, 'not found'))} />);
    await waitFor(() => expect(screen.getByText('History is not available from this server yet')).toBeInTheDocument());
  });
});

describe('compareRows', () => {
  it('pairs every number of two runs and their difference', () => {
    const run = (profitRate: number, metrics: Record<string, number>) =>
      ({ id: 'x', request: {}, result: { profitRate, totalTrades: 10 }, metrics }) as never;
    expect(compareRows(run(0.1, { sharpe: 1 }), run(0.25, { sharpe: 1.5, calmar: 2 }))).toEqual([
      { key: 'profitRate', a: 0.1, b: 0.25, diff: 0.15 },
      { key: 'totalTrades', a: 10, b: 10, diff: 0 },
      { key: 'sharpe', a: 1, b: 1.5, diff: 0.5 },
      { key: 'calmar', a: undefined, b: 2, diff: null },
    ]);
  });
});
