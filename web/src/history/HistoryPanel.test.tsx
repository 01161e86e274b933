import { describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { I18nProvider } from '../i18n/i18n';
import { HistoryPanel } from './HistoryPanel';
import { ApiError } from '../api/client';
import type { Client } from '../api/client';
import type { Run, RunPage, RunSummary, StrategyTemplate } from '../api/types';
import { compareRows } from './ComparePanel';

const TEMPLATE: StrategyTemplate = {
  name: 'SMA cross',
  file: 'sma.py',
  description: '',
  code: '"""\nSMA cross\n\nstrategyParams read (default):\n    fast    10    closes\n    slow    30    closes\n"""\nclass Strategy(IStrategy):\n    pass\n',
};

const summary = (id: string, profitRate: number, extra: Partial<RunSummary> = {}): RunSummary => ({
  id,
  status: 'succeeded' as const,
  createdAt: '2024-07-20T10:00:00Z',
  request: { symbol: 'BTCUSDT', interval: '1h', initialBalance: 10000, feeRate: 0.001, strategyParams: {} },
  result: { profitRate, maxDrawdown: 0.12, totalTrades: 40, winRate: 0.55 },
  name: 'Strategy',
  nameIsDefault: true,
  tags: [],
  ...extra,
});

type Extra = Partial<Pick<Client, 'labelBacktest' | 'deleteBacktest'>>;

function Harness({ list, onOpen = () => {}, onCompare = () => {}, extra = {} }: { list: (p?: { before?: string | null }) => Promise<RunPage>; onOpen?: (id: string) => void; onCompare?: () => void; extra?: Extra }) {
  const [selected, setSelected] = useState<string[]>([]);
  return (
    <I18nProvider lang="en">
      <HistoryPanel
        client={{ listBacktests: list, ...extra }}
        templates={[TEMPLATE]}
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
    const row = await screen.findByRole('button', { name: 'Open #3' });
    expect(row).toHaveTextContent('+10.00%');
    expect(row).toHaveTextContent('DD 12.00%');
    expect(row).toHaveTextContent('W 55.00%');
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByRole('button', { name: 'Open #1' });
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

  it('names each run, shows its tags, code hash and only the parameters that differ from its template', async () => {
    const runs = [
      summary('2', 0.1, {
        name: 'SMA cross',
        tags: ['trend', 'btc'],
        request: { symbol: 'BTCUSDT', interval: '1h', initialBalance: 10000, feeRate: 0.001, strategyParams: { fast: 10, slow: 50 } },
        reproducibility: { codeSha256: 'abcdef0123456789' },
      }),
      summary('1', 0.05, { name: 'Mine', request: { symbol: 'ETHUSDT', interval: '4h', initialBalance: 10000, feeRate: 0.001, strategyParams: { x: 1 } } }),
    ];
    render(<Harness list={async () => ({ runs, next: null })} />);
    const first = (await screen.findByRole('button', { name: 'Open #2' })).closest('li')!;
    expect(first.querySelector('[data-testid=run-title]')).toHaveTextContent('SMA cross #2');
    expect(first.querySelector('[data-testid=run-params]')).toHaveTextContent(/^slow=50$/);
    expect(first.querySelector('[data-testid=code-hash]')).toHaveTextContent('abcdef01');
    expect([...first.querySelectorAll('[data-testid=tag]')].map((t) => t.textContent)).toEqual(['trend', 'btc']);
    const second = screen.getByRole('button', { name: 'Open #1' }).closest('li')!;
    expect(second.querySelector('[data-testid=run-params]')).toHaveTextContent('x=1');
  });

  it('renames and tags a run, and deletes one that has ended', async () => {
    const label = vi.fn(async (id: string, patch: { name?: string | null; tags?: string[] }) => ({ ...summary(id, 0), name: patch.name ?? 'Strategy', nameIsDefault: patch.name == null, tags: patch.tags ?? [] }) as unknown as Run);
    const del = vi.fn(async () => undefined);
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    const user = userEvent.setup();
    render(<Harness list={async () => ({ runs: [summary('2', 0.1), summary('1', 0, { status: 'running' })], next: null })} extra={{ labelBacktest: label, deleteBacktest: del }} />);
    await user.click(await screen.findByRole('button', { name: 'Rename or tag run 2' }));
    const form = screen.getByTestId('label-form');
    await user.type(within(form).getByLabelText('Name'), 'Fast SMA');
    await user.type(within(form).getByLabelText('Tags'), 'trend, btc ,trend');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(label).toHaveBeenCalledWith('2', { name: 'Fast SMA', tags: ['trend', 'btc'] });
    const row = screen.getByRole('button', { name: 'Open #2' }).closest('li')!;
    await waitFor(() => expect(row.querySelector('[data-testid=run-title]')).toHaveTextContent('Fast SMA'));
    expect(screen.getByRole('button', { name: 'Delete run 1' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Delete run 2' }));
    expect(confirm).toHaveBeenCalled();
    expect(del).toHaveBeenCalledWith('2');
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Open #2' })).toBeNull());
    confirm.mockRestore();
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
