// The run's trading settings (contract §6): market, leverage, margin mode, fill timing, slippage, maker/taker
// fees, intrabar path. Kept apart from the rest of the form so each can be read on its own.
import type { BacktestRequest, FillTiming, Intrabar, MarginMode, Market } from '../api/types';
import type { FieldError } from './validate';

/** The settings as typed; percentages where the wire has fractions, as the fee rate. */
export interface TradingForm {
  market: string;
  leverage: string;
  marginMode: string;
  fill: string;
  /** Percent: "0.02" is a slippage of 0.0002. */
  slippagePct: string;
  /** Percent; blank: the fee rate. */
  makerFeePct: string;
  /** Percent; blank: the fee rate. */
  takerFeePct: string;
  intrabar: string;
}

export type TradingField = keyof TradingForm;

/** The server's defaults. */
export const DEFAULT_TRADING: TradingForm = {
  market: 'spot',
  leverage: '1',
  marginMode: 'isolated',
  fill: 'seed',
  slippagePct: '0',
  makerFeePct: '',
  takerFeePct: '',
  intrabar: 'pessimistic',
};

export const MARKETS: readonly Market[] = ['spot', 'futures'];
export const MARGIN_MODES: readonly MarginMode[] = ['isolated', 'cross'];
export const FILL_TIMINGS: readonly FillTiming[] = ['seed', 'close', 'next_open'];
export const INTRABARS: readonly Intrabar[] = ['pessimistic', '1m'];

export const LEVERAGE_MIN = 1;
export const LEVERAGE_MAX = 125;
/** The server's ranges, in percent: slippage and taker fee 0..0.1, maker fee −0.01..0.1 (a rebate below 0). */
export const SLIPPAGE_PCT_MAX = 10;
export const TAKER_PCT_MAX = 10;
export const MAKER_PCT_MIN = -1;
export const MAKER_PCT_MAX = 10;

type TradingRequest = Pick<BacktestRequest, 'market' | 'leverage' | 'marginMode' | 'fill' | 'slippage' | 'makerFee' | 'takerFee' | 'intrabar'>;

const fraction = (pct: number) => Number((pct / 100).toPrecision(12));
const percent = (fraction: number) => String(Number((fraction * 100).toPrecision(12)));

function pctField(raw: string, min: number, max: number, blankAllowed: boolean): { value?: number; error?: FieldError } {
  if (raw.trim() === '') return blankAllowed ? {} : { error: { key: 'err.required' } };
  const v = Number(raw);
  if (Number.isNaN(v)) return { error: { key: 'err.number' } };
  if (v < min || v > max) return { error: min === 0 ? { key: 'err.feeRange', vars: { max } } : { key: 'err.pctRange', vars: { min, max } } };
  return { value: v };
}

function choiceField<T extends string>(raw: string, choices: readonly T[]): { value?: T; error?: FieldError } {
  return choices.includes(raw as T) ? { value: raw as T } : { error: { key: 'err.choice', vars: { choices: choices.join(', ') } } };
}

/**
 * Checks the trading settings; returns the request's fields when all is well. Leverage and margin mode
 * belong to futures: a spot run neither checks nor sends them. A blank maker or taker fee is not sent
 * (the server takes the fee rate).
 */
export function validateTrading(form: TradingForm): { errors: Partial<Record<TradingField, FieldError>>; fields: TradingRequest | null } {
  const errors: Partial<Record<TradingField, FieldError>> = {};
  const market = choiceField(form.market, MARKETS);
  if (market.error) errors.market = market.error;
  const futures = market.value === 'futures';

  let leverage: number | undefined;
  let marginMode: MarginMode | undefined;
  if (futures) {
    leverage = form.leverage.trim() === '' ? NaN : Number(form.leverage);
    if (!Number.isInteger(leverage) || leverage < LEVERAGE_MIN || leverage > LEVERAGE_MAX)
      errors.leverage = { key: 'err.integer', vars: { min: LEVERAGE_MIN, max: LEVERAGE_MAX } };
    const mode = choiceField(form.marginMode, MARGIN_MODES);
    if (mode.error) errors.marginMode = mode.error;
    marginMode = mode.value;
  }
  const fill = choiceField(form.fill, FILL_TIMINGS);
  if (fill.error) errors.fill = fill.error;
  const intrabar = choiceField(form.intrabar, INTRABARS);
  if (intrabar.error) errors.intrabar = intrabar.error;
  const slippage = pctField(form.slippagePct, 0, SLIPPAGE_PCT_MAX, false);
  if (slippage.error) errors.slippagePct = slippage.error;
  const maker = pctField(form.makerFeePct, MAKER_PCT_MIN, MAKER_PCT_MAX, true);
  if (maker.error) errors.makerFeePct = maker.error;
  const taker = pctField(form.takerFeePct, 0, TAKER_PCT_MAX, true);
  if (taker.error) errors.takerFeePct = taker.error;

  if (Object.keys(errors).length > 0) return { errors, fields: null };
  const fields: TradingRequest = { market: market.value, fill: fill.value, slippage: fraction(slippage.value!), intrabar: intrabar.value };
  if (futures) Object.assign(fields, { leverage, marginMode });
  if (maker.value != null) fields.makerFee = fraction(maker.value);
  if (taker.value != null) fields.takerFee = fraction(taker.value);
  return { errors, fields };
}

/** The settings a past run was made with; a maker or taker fee equal to the fee rate reads as blank (the default). */
export function tradingFormFromRequest(req: BacktestRequest): TradingForm {
  const fee = (v: number | undefined) => (v == null || v === req.feeRate ? '' : percent(v));
  return {
    market: req.market ?? DEFAULT_TRADING.market,
    leverage: String(req.leverage ?? 1),
    marginMode: req.marginMode ?? DEFAULT_TRADING.marginMode,
    fill: req.fill ?? DEFAULT_TRADING.fill,
    slippagePct: req.slippage == null ? DEFAULT_TRADING.slippagePct : percent(req.slippage),
    makerFeePct: fee(req.makerFee),
    takerFeePct: fee(req.takerFee),
    intrabar: req.intrabar ?? DEFAULT_TRADING.intrabar,
  };
}

/** The server's field names (in a 400) of these settings. */
export const TRADING_SERVER_FIELDS: Record<string, TradingField> = {
  market: 'market',
  leverage: 'leverage',
  marginMode: 'marginMode',
  fill: 'fill',
  slippage: 'slippagePct',
  makerFee: 'makerFeePct',
  takerFee: 'takerFeePct',
  intrabar: 'intrabar',
};
