// Shapes of the Candlebox HTTP API (contract §1 and §5), as the browser sees them.

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export const TERMINAL_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];

/** A run id as shown: a UUID's first 8 characters are enough to tell runs apart on a screen. */
export function shortId(id: string): string {
  return /^[0-9a-f]{8}-[0-9a-f-]{27}$/i.test(id) ? id.slice(0, 8) : id;
}

export function isTerminal(status: RunStatus | undefined | null): boolean {
  return status != null && TERMINAL_STATUSES.includes(status);
}

/** Parameters the strategy receives as `params`; `klineWndSize` is read by the engine. */
export type StrategyParams = Record<string, unknown>;

export interface BacktestRequest {
  symbol: string;
  interval: string;
  /** ISO-8601; absent: from the first kline of the series. */
  startTime?: string | null;
  /** ISO-8601; absent: to the last kline of the series. */
  endTime?: string | null;
  initialBalance: number;
  /** A fraction: 0.001 is 0.1 %. */
  feeRate: number;
  strategyParams: StrategyParams;
  /** Absent in run summaries (the history list). */
  code?: string;
  // contract §6, all optional (the server's defaults below); stored runs show every one of them back
  /** Default "spot". */
  market?: Market;
  /** Futures: an integer 1..125; default 1. */
  leverage?: number;
  /** Futures; default "isolated". */
  marginMode?: MarginMode;
  /** When an immediate order fills; default "seed". */
  fill?: FillTiming;
  /** A fraction moving every taker fill against the trader; default 0. */
  slippage?: number;
  /** Fractions; default feeRate. */
  makerFee?: number;
  takerFee?: number;
  /** How a kline's inside is walked; default "pessimistic". */
  intrabar?: Intrabar;
}

export type Market = 'spot' | 'futures';
export type MarginMode = 'isolated' | 'cross';
export type FillTiming = 'seed' | 'close' | 'next_open';
export type Intrabar = 'pessimistic' | '1m';

/** The reference system's result fields (contract §4), rates as fractions. */
export interface BacktestResult {
  initialBalance: number;
  finalBalance: number;
  profit: number;
  profitRate: number;
  maxDrawdown: number;
  totalTrades: number;
  winRate: number;
  baseAsset: number;
  quoteAsset: number;
  baseFee: number;
  quoteFee: number;
  // contract §6 (absent in runs made before it)
  market?: Market;
  leverage?: number;
  marginMode?: MarginMode;
  /** Negative: received. */
  fundingPaid?: number;
  /** A count. */
  liquidations?: number;
  funding?: FundingPayment[];
  orders?: RestingOrder[];
  [key: string]: unknown;
}

/** One funding time the run settled (futures). */
export interface FundingPayment {
  timestamp: string;
  rate: number;
  price: number;
  /** Signed: negative is a short. */
  position: number;
  /** Q × price × rate; positive = paid, negative = received. */
  amount: number;
}

/** A resting order of the run, with its final status. */
export interface RestingOrder {
  id: number;
  side: 'buy' | 'sell';
  type: 'limit' | 'stop' | 'stop_limit';
  amount: number;
  price: number | null;
  stop: number | null;
  reduceOnly: boolean;
  tag: string | null;
  status: 'filled' | 'cancelled' | 'expired' | 'open';
}

export interface RunError {
  type: string;
  message: string;
  /** 1-based line of the user's code, when there is one. */
  line: number | null;
  /** The Python traceback, when the strategy raised. */
  traceback?: string | null;
}

/** Why a run that has not ended waits (the server's `waiting`): runs ahead in the queue and the worker pool. */
export interface RunWaiting {
  /** Queued runs before this one (queued runs only). */
  ahead?: number;
  workers: number;
  /** Workers started. */
  workersReady: number;
  /** Workers warmed up (the first runs after a start are slower). */
  workersWarm: number;
  workersBusy: number;
}

export interface Run {
  id: string;
  status: RunStatus;
  progress: number;
  request: BacktestRequest;
  result: BacktestResult | null;
  metrics: Record<string, number | null> | null;
  /** Gaps inside the range, klines used (server's own block beside the metrics). */
  dataQuality?: Record<string, unknown> | null;
  /** Hashes of the code and klines, parameters, engine version: what it takes to re-run and compare. */
  reproducibility?: Record<string, unknown> | null;
  error: RunError | null;
  logs: string;
  createdAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** The trader's name for the run, or its default (the strategy's docstring title or class name). */
  name?: string;
  nameIsDefault?: boolean;
  tags?: string[];
  waiting?: RunWaiting | null;
}

/** What PATCH /api/v1/backtests/{id} sets: a name (null: the default) and tags; a field left out is kept. */
export interface RunLabelPatch {
  name?: string | null;
  tags?: string[];
}

/** A run in the history list: no code, a summary of the result, maybe no metrics or logs. */
export type RunSummary = Pick<Run, 'id' | 'status' | 'request' | 'createdAt'> &
  Partial<Omit<Run, 'id' | 'status' | 'request' | 'createdAt' | 'result'>> & { result?: Partial<BacktestResult> | null };

export interface RunPage {
  runs: RunSummary[];
  next: string | null;
}

export type TradeReason = 'order' | 'limit' | 'stop' | 'stop_loss' | 'take_profit' | 'trailing_stop' | 'liquidation';

export interface Trade {
  timestamp: string;
  type: 'buy' | 'sell' | 'liquidation';
  price: number;
  amount: number;
  balance: number;
  fee: number;
  /** What filled it (contract §6; absent in runs made before it). */
  reason?: TradeReason;
  /** What slippage cost: amount × |fill price − base price|. */
  slippage?: number;
}

export interface TradePage {
  total: number;
  trades: Trade[];
}

/** The equity curve, columnar and thinned by the server; timestamps in epoch ms. */
export interface EquitySeries {
  total: number;
  timestamp: number[];
  equity: number[];
  balance: number[];
  position: number[];
  drawdown: number[];
  /** The initial balance held in the base asset from the first close, at each point's close. */
  buyHold?: number[];
  /** Monthly and yearly returns from the whole curve (not the thinned one). */
  periods?: { months: PeriodReturn[]; years: PeriodReturn[] };
}

export interface PeriodReturn {
  /** "2024-03" or "2024" (UTC). */
  period: string;
  /** Equity at the period's last kline. */
  equity: number;
  /** Over the equity at the end of the period before (the initial balance for the first); null when that was ≤ 0. */
  return: number | null;
}

export interface Kline {
  open_time: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  close_time: string;
  [key: string]: unknown;
}

export interface KlinePage {
  symbol: string;
  interval: string;
  count: number;
  data: Kline[];
}

export interface StrategyTemplate {
  name: string;
  file: string;
  description: string;
  code: string;
}
