import { describe, expect, it } from 'vitest';
import { DEFAULT_TRADING, tradingFormFromRequest, validateTrading, type TradingForm } from './trading';

const trading = (patch: Partial<TradingForm> = {}): TradingForm => ({ ...DEFAULT_TRADING, ...patch });
const keys = (errors: object) => Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, v.key]));

describe('validateTrading', () => {
  it('sends the server\'s defaults for an untouched spot form, and no leverage, margin mode or separate fees', () => {
    expect(validateTrading(trading())).toEqual({ errors: {}, fields: { market: 'spot', fill: 'seed', slippage: 0, intrabar: 'pessimistic' } });
  });

  it('turns a futures form into the request\'s fields, percentages into fractions', () => {
    const { errors, fields } = validateTrading(
      trading({ market: 'futures', leverage: '20', marginMode: 'cross', fill: 'close', slippagePct: '0.05', makerFeePct: '0.02', takerFeePct: '0.04', intrabar: '1m' }),
    );
    expect(errors).toEqual({});
    expect(fields).toEqual({ market: 'futures', leverage: 20, marginMode: 'cross', fill: 'close', slippage: 0.0005, makerFee: 0.0002, takerFee: 0.0004, intrabar: '1m' });
  });

  it('neither checks nor sends a spot run\'s leverage (the field is hidden)', () => {
    const { errors, fields } = validateTrading(trading({ market: 'spot', leverage: '500', marginMode: 'cross' }));
    expect(errors).toEqual({});
    expect(fields).not.toHaveProperty('leverage');
    expect(fields).not.toHaveProperty('marginMode');
  });

  it('bounds the leverage to whole numbers 1..125', () => {
    for (const bad of ['0', '126', '2.5', '', 'x']) expect(validateTrading(trading({ market: 'futures', leverage: bad })).errors.leverage, bad).toEqual({ key: 'err.integer', vars: { min: 1, max: 125 } });
    expect(validateTrading(trading({ market: 'futures', leverage: '125' })).fields?.leverage).toBe(125);
    expect(validateTrading(trading({ market: 'futures', leverage: '1' })).fields?.leverage).toBe(1);
  });

  it('bounds slippage and fees to the server\'s ranges; a maker fee may be a rebate', () => {
    expect(keys(validateTrading(trading({ slippagePct: '10.5', takerFeePct: '-0.01', makerFeePct: '-1.5' })).errors)).toEqual({
      slippagePct: 'err.feeRange',
      takerFeePct: 'err.feeRange',
      makerFeePct: 'err.pctRange',
    });
    expect(validateTrading(trading({ makerFeePct: '-1.5' })).errors.makerFeePct?.vars).toEqual({ min: -1, max: 10 });
    expect(validateTrading(trading({ slippagePct: '10.5' })).errors.slippagePct?.vars).toEqual({ max: 10 });
    expect(validateTrading(trading({ makerFeePct: '-1', slippagePct: '10', takerFeePct: '10' })).fields).toMatchObject({ makerFee: -0.01, slippage: 0.1, takerFee: 0.1 });
  });

  it('tells a missing slippage from a wrong one', () => {
    expect(validateTrading(trading({ slippagePct: '' })).errors.slippagePct?.key).toBe('err.required');
    expect(validateTrading(trading({ slippagePct: 'abc' })).errors.slippagePct?.key).toBe('err.number');
  });

  it('refuses a choice the server does not know (a form kept from another version)', () => {
    expect(validateTrading(trading({ market: 'margin' })).errors.market).toEqual({ key: 'err.choice', vars: { choices: 'spot, futures' } });
    expect(validateTrading(trading({ fill: 'vwap' })).errors.fill?.vars).toEqual({ choices: 'seed, close, next_open' });
    expect(validateTrading(trading({ market: 'futures', marginMode: 'portfolio' })).errors.marginMode?.key).toBe('err.choice');
    expect(validateTrading(trading({ intrabar: '5m' })).errors.intrabar?.key).toBe('err.choice');
  });
});

describe('tradingFormFromRequest', () => {
  it('refills the settings of a past futures run; fees equal to the fee rate read as blank', () => {
    const form = tradingFormFromRequest({
      symbol: 'BTCUSDT',
      interval: '1h',
      initialBalance: 10000,
      feeRate: 0.0005,
      strategyParams: {},
      market: 'futures',
      leverage: 5,
      marginMode: 'isolated',
      fill: 'next_open',
      slippage: 0.0002,
      makerFee: 0.0002,
      takerFee: 0.0005,
      intrabar: '1m',
    });
    expect(form).toEqual({ market: 'futures', leverage: '5', marginMode: 'isolated', fill: 'next_open', slippagePct: '0.02', makerFeePct: '0.02', takerFeePct: '', intrabar: '1m' });
    expect(validateTrading(form).fields).toEqual({ market: 'futures', leverage: 5, marginMode: 'isolated', fill: 'next_open', slippage: 0.0002, makerFee: 0.0002, intrabar: '1m' });
  });

  it('reads a run made before these settings as the defaults', () => {
    expect(tradingFormFromRequest({ symbol: 'BTCUSDT', interval: '1h', initialBalance: 1, feeRate: 0.001, strategyParams: {} })).toEqual(DEFAULT_TRADING);
  });
});
