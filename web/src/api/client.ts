import { LIMITS } from '../app/limits';
import type {
  BacktestRequest,
  EquitySeries,
  Kline,
  KlinePage,
  Run,
  RunLabelPatch,
  RunPage,
  StrategyTemplate,
  Trade,
  TradePage,
} from './types';

/** A non-2xx answer, with what the server said about it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The request field or query parameter the server named (`field` or `parameter`). */
    readonly field: string | null = null,
    /** What the server would accept instead (`allowed`), when it says. */
    readonly allowed: string | null = null,
    /** Seconds to wait before trying again (429 / 503). */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get busy(): boolean {
    return this.status === 429 || this.status === 503;
  }
}

export interface ClientOptions {
  /** Prefix of every path; '' means the page's own origin. */
  base?: string;
  fetch?: typeof fetch;
  /** How often a GET answered 429/503 is tried again before giving up. */
  getRetries?: number;
  /** Longest wait between two tries, whatever Retry-After says. */
  maxRetryWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export const KLINE_PAGE_LIMIT = LIMITS.klinePageSize;
export const TRADE_PAGE_LIMIT = LIMITS.tradePageSize;

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function retryAfterSeconds(res: Response): number | null {
  const raw = res.headers.get('Retry-After');
  if (raw == null) return null;
  const n = Number(raw);
  if (Number.isFinite(n)) return Math.max(0, n);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, (date - Date.now()) / 1000);
}

async function errorFrom(res: Response): Promise<ApiError> {
  let detail = `${res.status} ${res.statusText}`.trim();
  let field: string | null = null;
  let allowed: string | null = null;
  try {
    const body = await res.json();
    if (body && typeof body === 'object') {
      if (typeof body.detail === 'string') detail = body.detail;
      else if (typeof body.message === 'string') detail = body.message;
      field = typeof body.field === 'string' ? body.field : typeof body.parameter === 'string' ? body.parameter : null;
      allowed = typeof body.allowed === 'string' ? body.allowed : null;
    }
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(res.status, detail, field, allowed, retryAfterSeconds(res));
}

function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v != null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Epoch ms of an ISO time from the API. */
export function timeMs(iso: string): number {
  return Date.parse(iso);
}

/** The run as the app uses it: ids are strings whatever the server sends. */
function normalizeRun<T extends { id: unknown }>(run: T): T & { id: string } {
  return { ...run, id: String(run.id) };
}

export type Client = ReturnType<typeof createClient>;

export function createClient(options: ClientOptions = {}) {
  const base = options.base ?? '';
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const getRetries = options.getRetries ?? LIMITS.getRetries;
  const maxRetryWaitMs = options.maxRetryWaitMs ?? LIMITS.maxRetryWaitMs;
  const sleep = options.sleep ?? wait;

  async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const tries = method === 'GET' ? getRetries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      const res = await doFetch(base + path, {
        method,
        signal,
        headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (res.ok) return (res.status === 204 ? undefined : await res.json()) as T;
      const error = await errorFrom(res);
      // a busy server says when to come back; reads are safe to repeat, a POST is left to the user
      if (error.busy && attempt < tries) {
        await sleep(Math.min(maxRetryWaitMs, (error.retryAfter ?? 1) * 1000));
        continue;
      }
      throw error;
    }
  }

  const get = <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, undefined, signal);

  return {
    symbols: async () => (await get<{ symbols: string[] }>('/api/v1/kline/symbols')).symbols,
    intervals: async () => (await get<{ intervals: string[] }>('/api/v1/kline/intervals')).intervals,

    /** One page: klines with startMs < open_time <= endMs, ascending, at most `limit` (≤ 1000). */
    klines: (symbol: string, interval: string, page: { startMs?: number | null; endMs?: number | null; limit?: number }, signal?: AbortSignal) =>
      get<KlinePage>(
        `/api/v1/kline/${encodeURIComponent(symbol)}/${encodeURIComponent(interval)}` +
          query({ start_time: page.startMs, end_time: page.endMs, limit: page.limit ?? KLINE_PAGE_LIMIT }),
        signal,
      ),
    /** The last kline with open_time < currentMs (default: now). */
    previousKline: async (symbol: string, interval: string, currentMs?: number) =>
      (await get<{ data: Kline | null }>(`/api/v1/kline/${encodeURIComponent(symbol)}/${encodeURIComponent(interval)}/previous` + query({ current_time: currentMs }))).data,
    /** The first kline with open_time > currentMs. */
    nextKline: async (symbol: string, interval: string, currentMs: number) =>
      (await get<{ data: Kline | null }>(`/api/v1/kline/${encodeURIComponent(symbol)}/${encodeURIComponent(interval)}/next` + query({ current_time: currentMs }))).data,

    createBacktest: async (req: BacktestRequest) => normalizeRun(await request<Run>('POST', '/api/v1/backtests', req)),
    // the summary view: without it the server adds every trade and one equity point per kline to the result
    getBacktest: async (id: string, signal?: AbortSignal) => normalizeRun(await get<Run>(`/api/v1/backtests/${encodeURIComponent(id)}?view=summary`, signal)),
    /**
     * The whole run: the result with every trade, one equity point per kline, and (contract §6) every resting
     * order and funding payment — the only place the server gives those two lists. Large for long runs.
     */
    getBacktestFull: async (id: string, signal?: AbortSignal) => normalizeRun(await get<Run>(`/api/v1/backtests/${encodeURIComponent(id)}`, signal)),
    cancelBacktest: async (id: string) => normalizeRun(await request<Run>('DELETE', `/api/v1/backtests/${encodeURIComponent(id)}`)),
    /** Renames and tags a run (only its submitter may). */
    labelBacktest: async (id: string, patch: RunLabelPatch) => normalizeRun(await request<Run>('PATCH', `/api/v1/backtests/${encodeURIComponent(id)}`, patch)),
    /** Deletes a run that has ended, with its trades and curve (DELETE ?purge=true; 409 while it runs). */
    deleteBacktest: async (id: string) => {
      await request<void>('DELETE', `/api/v1/backtests/${encodeURIComponent(id)}?purge=true`);
    },
    listBacktests: async (page: { limit?: number; before?: string | null } = {}): Promise<RunPage> => {
      const res = await get<RunPage>('/api/v1/backtests' + query({ limit: page.limit ?? 20, before: page.before }));
      return { runs: res.runs.map(normalizeRun), next: res.next == null ? null : String(res.next) };
    },
    trades: (id: string, offset = 0, limit = TRADE_PAGE_LIMIT, signal?: AbortSignal) =>
      get<TradePage>(`/api/v1/backtests/${encodeURIComponent(id)}/trades` + query({ offset, limit }), signal),
    equity: (id: string, maxPoints = 2000, signal?: AbortSignal) =>
      get<EquitySeries>(`/api/v1/backtests/${encodeURIComponent(id)}/equity` + query({ maxPoints }), signal),
    strategies: async () => (await get<{ strategies: StrategyTemplate[] }>('/api/v1/strategies')).strategies,

    eventsUrl: (id: string) => `${base}/api/v1/backtests/${encodeURIComponent(id)}/events`,
    reportUrl: (id: string) => `${base}/api/v1/backtests/${encodeURIComponent(id)}/report.html`,
  };
}

/**
 * Every fill of a run, page after page (1000 at a time) until `total` is reached;
 * `onPage` sees the running list so a long download can show itself.
 */
export async function fetchAllTrades(
  client: Pick<Client, 'trades'>,
  id: string,
  onPage?: (soFar: Trade[], total: number) => void,
  signal?: AbortSignal,
): Promise<Trade[]> {
  const all: Trade[] = [];
  for (;;) {
    const page = await client.trades(id, all.length, TRADE_PAGE_LIMIT, signal);
    all.push(...page.trades);
    onPage?.(all, page.total);
    if (page.trades.length === 0 || all.length >= page.total) return all;
  }
}
