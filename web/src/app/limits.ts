// Every limit the page applies, in one place (change and rebuild). docs/web.md explains each one.

export const LIMITS = {
  /** Klines per request; the kline API allows 1000 at most. */
  klinePageSize: 1000,
  /** A chart range estimated at this many klines or fewer is loaded whole; a wider one a window at a time. */
  klineFullLoadMax: 10_000,
  /** Most candles the chart holds at once; pages far from the view are dropped beyond this. */
  klineMaxLoaded: 12_000,
  /** Equity points asked of the server (it thins the curve to this many, keeping extremes). */
  equityMaxPoints: 2000,
  /**
   * A run's orders and funding come only with the whole run (every trade, an equity point per kline): read
   * by itself when the trades tab opens for runs of at most this many klines, on a click for longer ones.
   */
  fullRunAutoMaxKlines: 20_000,
  /** Fills per request when the trade list downloads. */
  tradePageSize: 1000,
  /** Characters of printed output kept in the page (the oldest are dropped). */
  maxLogChars: 1_000_000,
  /** How often fills and printed lines that arrived over SSE are drawn. */
  liveFlushMs: 100,
  /** Markers are rebuilt at most this often while fills stream in. */
  markerThrottleMs: 250,
  /** A GET answered 429/503 is tried again this many times, waiting Retry-After (at most maxRetryWaitMs). */
  getRetries: 3,
  maxRetryWaitMs: 5000,
  /** When the event stream fails: poll the run this often, give up after this many failed polls. */
  pollIntervalMs: 1000,
  maxPollFailures: 10,
  /** While the event stream is quiet this long (a strategy that prints nothing), the run is read once. */
  quietCheckMs: 5000,
  /** The stream may fail this often (the browser reconnects by itself) before polling takes over. */
  maxStreamErrors: 3,
  /** A run that waits (queued, or running before its first progress) is read this often for its queue place. */
  waitingPollMs: 2000,
} as const;
