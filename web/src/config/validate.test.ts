import { describe, expect, it } from 'vitest';
import { DEFAULT_FORM, formFieldOf, formFromRequest, parseParams, validateForm, type ConfigForm } from './validate';

const CODE = 'class Strategy(IStrategy):\n    def run(self, context, kline, params):\n        pass\n';
const form = (patch: Partial<ConfigForm> = {}): ConfigForm => ({ ...DEFAULT_FORM, symbol: 'BTCUSDT', interval: '1h', start: '2024-01-01T00:00', end: '2024-02-01T00:00', ...patch });

describe('parseParams', () => {
  it('accepts a JSON object of parameters', () => {
    expect(parseParams('{"fast_period": 10, "name": "x", "on": true, "levels": [1, 2]}')).toEqual({ params: { fast_period: 10, name: 'x', on: true, levels: [1, 2] } });
  });

  it('reads an empty box as no parameters', () => {
    expect(parseParams('  ')).toEqual({ params: {} });
  });

  it('says where the JSON breaks', () => {
    const { error } = parseParams('{"fast_period": 10,}');
    expect(error?.key).toBe('err.json');
    expect(String(error?.vars?.message)).toMatch(/JSON|position|Expected/i);
  });

  it('refuses anything but an object', () => {
    for (const text of ['[1,2]', '42', 'null', '"x"']) expect(parseParams(text).error?.key).toBe('err.jsonObject');
  });

  it('refuses klineWndSize here: it has its own field', () => {
    expect(parseParams('{"klineWndSize": 100}').error?.key).toBe('err.wndInParams');
  });

  it('refuses numbers JSON turns into infinity', () => {
    expect(parseParams('{"big": 1e999}').error).toEqual({ key: 'err.nonFinite', vars: { key: 'big' } });
  });
});

describe('validateForm', () => {
  it('builds the request the backtest API takes', () => {
    const { errors, request } = validateForm(form({ paramsJson: '{"fast_period": 5}', klineWndSize: '100', initialBalance: '2500.5', feeRatePct: '0.1' }), CODE);
    expect(errors).toEqual({});
    expect(request).toEqual({
      symbol: 'BTCUSDT',
      interval: '1h',
      startTime: '2024-01-01T00:00:00Z',
      endTime: '2024-02-01T00:00:00Z',
      initialBalance: 2500.5,
      feeRate: 0.001,
      strategyParams: { fast_period: 5, klineWndSize: 100 },
      market: 'spot',
      fill: 'seed',
      slippage: 0,
      intrabar: 'pessimistic',
      code: CODE,
    });
  });

  it('sends the futures settings with the rest, and holds the run back while one is wrong', () => {
    const futures = form({ market: 'futures', leverage: '5', marginMode: 'cross', fill: 'next_open', slippagePct: '0.02', takerFeePct: '0.05', intrabar: '1m' });
    expect(validateForm(futures, CODE).request).toMatchObject({
      feeRate: 0.001,
      market: 'futures',
      leverage: 5,
      marginMode: 'cross',
      fill: 'next_open',
      slippage: 0.0002,
      takerFee: 0.0005,
      intrabar: '1m',
    });
    expect(validateForm(futures, CODE).request).not.toHaveProperty('makerFee');
    const bad = validateForm({ ...futures, leverage: '200' }, CODE);
    expect(bad.request).toBeNull();
    expect(bad.errors).toEqual({ leverage: { key: 'err.integer', vars: { min: 1, max: 125 } } });
  });

  it('turns the fee percent into an exact fraction', () => {
    expect(validateForm(form({ feeRatePct: '0.075' }), CODE).request?.feeRate).toBe(0.00075);
    expect(validateForm(form({ feeRatePct: '0' }), CODE).request?.feeRate).toBe(0);
  });

  it('sends no times for blank fields (the whole series)', () => {
    const { request } = validateForm(form({ start: '', end: '' }), CODE);
    expect(request?.startTime).toBeNull();
    expect(request?.endTime).toBeNull();
  });

  it('names every bad field at once', () => {
    const { errors, request } = validateForm(
      form({ symbol: '', start: '2024-02-01T00:00', end: '2024-01-01T00:00', initialBalance: '-5', feeRatePct: '10.5', klineWndSize: '2.5', paramsJson: '[' }),
      '',
    );
    expect(request).toBeNull();
    expect(Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, v!.key]))).toEqual({
      symbol: 'err.required',
      end: 'err.range',
      initialBalance: 'err.positive',
      feeRatePct: 'err.feeRange',
      klineWndSize: 'err.integer',
      paramsJson: 'err.json',
      code: 'err.code',
    });
  });

  it('tells a missing number from a wrong one', () => {
    expect(validateForm(form({ initialBalance: '' }), CODE).errors.initialBalance?.key).toBe('err.required');
    expect(validateForm(form({ initialBalance: 'abc' }), CODE).errors.initialBalance?.key).toBe('err.number');
  });

  it('refuses a time that does not exist', () => {
    expect(validateForm(form({ start: '2024-02-31T00:00' }), CODE).errors.start?.key).toBe('err.time');
  });

  it('bounds the kline window', () => {
    expect(validateForm(form({ klineWndSize: '0' }), CODE).errors.klineWndSize?.key).toBe('err.integer');
    expect(validateForm(form({ klineWndSize: '100001' }), CODE).errors.klineWndSize?.key).toBe('err.integer');
    expect(validateForm(form({ klineWndSize: '100000' }), CODE).errors.klineWndSize).toBeUndefined();
  });

  it('wants a class Strategy in the code', () => {
    expect(validateForm(form(), 'def run():\n    pass\n').errors.code?.key).toBe('err.codeStrategy');
    expect(validateForm(form(), 'class Strategy:\n    pass\n').errors.code).toBeUndefined();
  });
});

describe('formFieldOf', () => {
  it('maps the server\'s field names onto the form', () => {
    expect(['startTime', 'feeRate', 'strategyParams.klineWndSize', 'strategyParams.fast', 'code', 'leverage', 'slippage', 'makerFee', 'intrabar', 'nonsense', null].map(formFieldOf)).toEqual([
      'start',
      'feeRatePct',
      'klineWndSize',
      'paramsJson',
      'code',
      'leverage',
      'slippagePct',
      'makerFeePct',
      'intrabar',
      null,
      null,
    ]);
  });
});

describe('formFromRequest', () => {
  it('refills the form from a past run so it can be run again', () => {
    const f = formFromRequest({
      symbol: 'ETHUSDT',
      interval: '4h',
      startTime: '2024-03-01T00:00:00+00:00',
      endTime: null,
      initialBalance: 5000,
      feeRate: 0.00075,
      strategyParams: { klineWndSize: 80, lookback: 20 },
    });
    expect(f).toEqual({
      symbol: 'ETHUSDT',
      interval: '4h',
      start: '2024-03-01T00:00',
      end: '',
      initialBalance: '5000',
      feeRatePct: '0.075',
      klineWndSize: '80',
      paramsJson: '{\n  "lookback": 20\n}',
      market: 'spot',
      leverage: '1',
      marginMode: 'isolated',
      fill: 'seed',
      slippagePct: '0',
      makerFeePct: '',
      takerFeePct: '',
      intrabar: 'pessimistic',
    });
    expect(validateForm(f, CODE).request?.strategyParams).toEqual({ lookback: 20, klineWndSize: 80 });
  });
});
