import type { BacktestRequest, StrategyParams } from '../api/types';
import type { MessageKey } from '../i18n/messages';
import { fromInputValue, toIso } from './time';
import { DEFAULT_TRADING, TRADING_SERVER_FIELDS, tradingFormFromRequest, validateTrading, type TradingForm } from './trading';

/** What the user typed, as typed; the trading settings (contract §6) are in `TradingForm`. */
export interface ConfigForm extends TradingForm {
  symbol: string;
  interval: string;
  /** UTC "YYYY-MM-DDTHH:mm", or '' for the series' first kline. */
  start: string;
  /** UTC "YYYY-MM-DDTHH:mm", or '' for the series' last kline. */
  end: string;
  initialBalance: string;
  /** Percent: "0.1" is a fee rate of 0.001. */
  feeRatePct: string;
  klineWndSize: string;
  paramsJson: string;
}

export type FormField = keyof ConfigForm | 'code';

export interface FieldError {
  key: MessageKey;
  vars?: Record<string, string | number>;
}

export type FormErrors = Partial<Record<FormField, FieldError>>;

export const DEFAULT_FORM: ConfigForm = {
  symbol: '',
  interval: '1h',
  start: '',
  end: '',
  initialBalance: '10000',
  feeRatePct: '0.1',
  klineWndSize: '50',
  paramsJson: '{}',
  ...DEFAULT_TRADING,
};

export const FEE_PCT_MAX = 10;
export const KLINE_WND_MIN = 1;
export const KLINE_WND_MAX = 100_000;

/** The params box: a JSON object of finite numbers, strings, booleans, null, arrays and objects. */
export function parseParams(json: string): { params?: StrategyParams; error?: FieldError } {
  const text = json.trim() === '' ? '{}' : json;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { error: { key: 'err.json', vars: { message: (e as Error).message } } };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { error: { key: 'err.jsonObject' } };
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'klineWndSize') return { error: { key: 'err.wndInParams' } };
    if (typeof v === 'number' && !Number.isFinite(v)) return { error: { key: 'err.nonFinite', vars: { key } } };
  }
  return { params: value as StrategyParams };
}

function number(raw: string): number {
  return raw.trim() === '' ? NaN : Number(raw);
}

/**
 * Checks the form and the code before anything is sent; returns the request when all is well.
 * The server checks again (and names the field in a 400), this only saves a round trip.
 */
export function validateForm(form: ConfigForm, code: string): { errors: FormErrors; request: BacktestRequest | null } {
  const errors: FormErrors = {};
  if (!form.symbol) errors.symbol = { key: 'err.required' };
  if (!form.interval) errors.interval = { key: 'err.required' };

  const start = form.start.trim() === '' ? null : fromInputValue(form.start);
  const end = form.end.trim() === '' ? null : fromInputValue(form.end);
  if (start != null && Number.isNaN(start)) errors.start = { key: 'err.time' };
  if (end != null && Number.isNaN(end)) errors.end = { key: 'err.time' };
  if (start != null && end != null && !Number.isNaN(start) && !Number.isNaN(end) && start >= end) errors.end = { key: 'err.range' };

  const balance = number(form.initialBalance);
  if (Number.isNaN(balance)) errors.initialBalance = { key: form.initialBalance.trim() ? 'err.number' : 'err.required' };
  else if (!(balance > 0) || !Number.isFinite(balance)) errors.initialBalance = { key: 'err.positive' };

  const feePct = number(form.feeRatePct);
  if (Number.isNaN(feePct)) errors.feeRatePct = { key: form.feeRatePct.trim() ? 'err.number' : 'err.required' };
  // the server takes 0 ≤ feeRate ≤ 0.1
  else if (feePct < 0 || feePct > FEE_PCT_MAX) errors.feeRatePct = { key: 'err.feeRange', vars: { max: FEE_PCT_MAX } };

  const wnd = number(form.klineWndSize);
  if (!Number.isInteger(wnd) || wnd < KLINE_WND_MIN || wnd > KLINE_WND_MAX)
    errors.klineWndSize = { key: 'err.integer', vars: { min: KLINE_WND_MIN, max: KLINE_WND_MAX } };

  const { params, error } = parseParams(form.paramsJson);
  if (error) errors.paramsJson = error;

  const trading = validateTrading(form);
  Object.assign(errors, trading.errors);

  if (code.trim() === '') errors.code = { key: 'err.code' };
  else if (!/^\s*class\s+Strategy\s*[(:]/m.test(code)) errors.code = { key: 'err.codeStrategy' };

  if (Object.keys(errors).length > 0 || !params || !trading.fields) return { errors, request: null };
  return {
    errors,
    request: {
      symbol: form.symbol,
      interval: form.interval,
      startTime: start == null ? null : toIso(start),
      endTime: end == null ? null : toIso(end),
      initialBalance: balance,
      // percent in the form, a fraction on the wire; rounded so 0.1 % is 0.001 and not 0.0010000000000000002
      feeRate: Number((feePct / 100).toPrecision(12)),
      strategyParams: { ...params, klineWndSize: wnd },
      ...trading.fields,
      code,
    },
  };
}

/** The form field a server-side 400 names (`field`), so the message can sit next to it. */
export function formFieldOf(serverField: string | null): FormField | null {
  if (!serverField) return null;
  const map: Record<string, FormField> = {
    symbol: 'symbol',
    interval: 'interval',
    startTime: 'start',
    endTime: 'end',
    initialBalance: 'initialBalance',
    feeRate: 'feeRatePct',
    strategyParams: 'paramsJson',
    'strategyParams.klineWndSize': 'klineWndSize',
    klineWndSize: 'klineWndSize',
    code: 'code',
    ...TRADING_SERVER_FIELDS,
  };
  if (map[serverField]) return map[serverField];
  if (serverField.startsWith('strategyParams.')) return 'paramsJson';
  return null;
}

/** The form a past run was made with (to run it again). */
export function formFromRequest(req: BacktestRequest): ConfigForm {
  const { klineWndSize, ...rest } = req.strategyParams ?? {};
  const time = (iso?: string | null) => (iso ? new Date(Date.parse(iso)).toISOString().slice(0, 16) : '');
  return {
    symbol: req.symbol,
    interval: req.interval,
    start: time(req.startTime),
    end: time(req.endTime),
    initialBalance: String(req.initialBalance),
    feeRatePct: String(Number((req.feeRate * 100).toPrecision(12))),
    klineWndSize: String(klineWndSize ?? 50),
    paramsJson: JSON.stringify(rest, null, 2),
    ...tradingFormFromRequest(req),
  };
}
