import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { I18nProvider } from '../i18n/i18n';
import { ConfigPanel, type SeriesBounds } from './ConfigPanel';
import { DEFAULT_FORM, validateForm, type ConfigForm } from './validate';

const bounds: SeriesBounds = { state: 'ok', first: Date.UTC(2019, 0, 1), last: Date.UTC(2024, 6, 16, 8) };

function Harness({ onForm, initial = {} }: { onForm?: (f: ConfigForm) => void; initial?: Partial<ConfigForm> }) {
  const [form, setForm] = useState<ConfigForm>({ ...DEFAULT_FORM, symbol: 'BTCUSDT', ...initial });
  const { errors } = validateForm(form, 'class Strategy(IStrategy):\n  pass');
  return (
    <I18nProvider lang="en">
      <ConfigPanel
        form={form}
        onChange={(p) => {
          const next = { ...form, ...p };
          setForm(next);
          onForm?.(next);
        }}
        errors={errors}
        symbols={['BTCUSDT', 'ETHUSDT']}
        intervals={['1m', '1h', '1d']}
        bounds={bounds}
        disabled={false}
      />
    </I18nProvider>
  );
}

describe('ConfigPanel', () => {
  it('names every control', () => {
    render(<Harness />);
    for (const name of ['Symbol', 'Interval', 'Start (UTC)', 'End (UTC)', 'Initial balance', 'Fee rate (%)', 'Kline window (klineWndSize)', 'Strategy parameters (JSON)'])
      expect(screen.getByLabelText(name)).toBeInTheDocument();
    expect(screen.getByTestId('series-info')).toHaveTextContent('Data: 2019-01-01 00:00 → 2024-07-16 08:00');
  });

  it('shows leverage and margin mode for futures only, and checks them as they are typed', async () => {
    const onForm = vi.fn();
    const user = userEvent.setup();
    render(<Harness onForm={onForm} />);
    for (const name of ['Market', 'Orders fill', 'Slippage (%)', 'Inside a kline', 'Maker fee (%)', 'Taker fee (%)']) expect(screen.getByLabelText(name)).toBeInTheDocument();
    expect(screen.queryByLabelText('Leverage (×)')).toBeNull();
    expect(screen.queryByLabelText('Margin mode')).toBeNull();
    // blank fees are the fee rate, and say so
    expect(screen.getByLabelText('Maker fee (%)')).toHaveAttribute('placeholder', '0.1');
    expect(screen.getByLabelText('Taker fee (%)')).toHaveAccessibleDescription('Maker / taker fee blank: the fee rate');

    await user.selectOptions(screen.getByLabelText('Market'), 'Futures');
    expect(onForm).toHaveBeenLastCalledWith(expect.objectContaining({ market: 'futures' }));
    const leverage = screen.getByLabelText('Leverage (×)');
    expect(leverage).toHaveValue(1);
    await user.selectOptions(screen.getByLabelText('Margin mode'), 'Cross');
    expect(onForm).toHaveBeenLastCalledWith(expect.objectContaining({ marginMode: 'cross' }));
    await user.clear(leverage);
    await user.type(leverage, '200');
    expect(leverage).toHaveAttribute('aria-invalid', 'true');
    expect(leverage).toHaveAccessibleDescription('Must be a whole number from 1 to 125');
    await user.clear(leverage);
    await user.type(leverage, '5');
    expect(leverage).toHaveAttribute('aria-invalid', 'false');

    await user.type(screen.getByLabelText('Slippage (%)'), '5');
    expect(screen.getByLabelText('Slippage (%)')).toHaveValue(5);
    await user.type(screen.getByLabelText('Slippage (%)'), '0');
    expect(screen.getByLabelText('Slippage (%)')).toHaveAccessibleDescription('Must be between 0 and 10 %');
    await user.type(screen.getByLabelText('Maker fee (%)'), '-2');
    expect(screen.getByLabelText('Maker fee (%)')).toHaveAccessibleDescription('Must be between -1 and 10 %');

    await user.selectOptions(screen.getByLabelText('Orders fill'), 'Next kline open');
    await user.selectOptions(screen.getByLabelText('Inside a kline'), '1-minute klines');
    expect(onForm).toHaveBeenLastCalledWith(expect.objectContaining({ market: 'futures', leverage: '5', marginMode: 'cross', fill: 'next_open', intrabar: '1m' }));
  });

  it('fills the calendar fields from the presets, counted back from the last kline', async () => {
    const onForm = vi.fn();
    const user = userEvent.setup();
    render(<Harness onForm={onForm} />);
    await user.click(screen.getByRole('button', { name: 'Last 30 days' }));
    expect(screen.getByLabelText('Start (UTC)')).toHaveValue('2024-06-16T08:00');
    expect(screen.getByLabelText('End (UTC)')).toHaveValue('2024-07-16T08:00');
    await user.click(screen.getByRole('button', { name: '1 year' }));
    expect(screen.getByLabelText('Start (UTC)')).toHaveValue('2023-07-17T08:00');
    await user.click(screen.getByRole('button', { name: 'All' }));
    expect(screen.getByLabelText('Start (UTC)')).toHaveValue('2019-01-01T00:00');
    // (2024-07-16 08:00 − 2019-01-01 00:00) / 1 h + 1
    expect(screen.getByText('≈ 48,561 klines')).toBeInTheDocument();
  });

  it('says what is wrong with the parameters as they are typed', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    const box = screen.getByLabelText('Strategy parameters (JSON)');
    await user.clear(box);
    await user.type(box, '[[1, 2]');
    expect(box).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('alert')).toHaveTextContent('Must be a JSON object');
    await user.clear(box);
    await user.type(box, '{{"fast_period": 12}');
    expect(box).toHaveAttribute('aria-invalid', 'false');
  });

  it('marks the interval choices that have no data for the symbol', () => {
    render(
      <I18nProvider lang="en">
        <ConfigPanel
          form={{ ...DEFAULT_FORM, symbol: 'BTCUSDT', interval: '1d' }}
          onChange={() => {}}
          errors={{}}
          symbols={['BTCUSDT']}
          intervals={['1m', '1h', '1d']}
          bounds={{ state: 'error', message: "no BTCUSDT klines at interval '1d'", intervalsWithData: ['1h', '1m'] }}
          disabled={false}
        />
      </I18nProvider>,
    );
    expect(screen.getByRole('option', { name: '1d · No data' })).toBeInTheDocument();
    expect(screen.getByRole('option', { name: '1h' })).toBeInTheDocument();
    expect(screen.getByTestId('series-info')).toHaveTextContent("no BTCUSDT klines at interval '1d'");
  });
});
