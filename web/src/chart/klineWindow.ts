import { KLINE_PAGE_LIMIT, timeMs, type Client } from '../api/client';
import type { Kline } from '../api/types';
import { intervalMs } from './interval';
import { LIMITS } from '../app/limits';

/** A candle as the charts use it: open time in epoch ms. */
export interface Candle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export function toCandle(k: Kline): Candle {
  return { time: timeMs(k.open_time), open: k.open, high: k.high, low: k.low, close: k.close, volume: k.volume };
}

export interface KlineWindowOptions {
  /** Klines per request (the API allows 1000 at most). */
  pageSize?: number;
  /** A range estimated at this many klines or fewer is loaded whole; a wider one a window at a time. */
  fullLoadMax?: number;
  /** Most candles held at once; pages far from where the user looks are dropped beyond this. */
  maxLoaded?: number;
}

export const KLINE_WINDOW_DEFAULTS: Required<KlineWindowOptions> = {
  pageSize: KLINE_PAGE_LIMIT,
  fullLoadMax: LIMITS.klineFullLoadMax,
  maxLoaded: LIMITS.klineMaxLoaded,
};

/**
 * The candles of one series between two times, loaded in pages of 1000 around what the chart shows:
 * a range that fits in `fullLoadMax` klines is fetched whole, a wider one (a 1m year is half a million
 * klines) a page at a time as the user scrolls, never more than `maxLoaded` held at once.
 */
export class KlineWindow {
  candles: Candle[] = [];
  readonly barMs: number;
  private readonly opts: Required<KlineWindowOptions>;
  private loading: Promise<unknown> | null = null;
  /** Bumped whenever the loaded window is replaced, so an answer to an older request is dropped. */
  private generation = 0;
  /** The range's first / last kline is loaded (a page came back empty, or the range was loaded whole). */
  private reachedStart = false;
  private reachedEnd = false;

  constructor(
    private readonly client: Pick<Client, 'klines' | 'previousKline'>,
    readonly symbol: string,
    readonly interval: string,
    /** First open time wanted, epoch ms (inclusive). */
    readonly fromMs: number,
    /** Last open time wanted, epoch ms (inclusive). */
    readonly toMs: number,
    options: KlineWindowOptions = {},
  ) {
    this.barMs = intervalMs(interval);
    this.opts = { ...KLINE_WINDOW_DEFAULTS, ...options };
  }

  get estimatedCount(): number {
    return Math.max(0, Math.floor((this.toMs - this.fromMs) / this.barMs) + 1);
  }

  get isWhole(): boolean {
    return this.estimatedCount <= this.opts.fullLoadMax;
  }

  get first(): number | null {
    return this.candles.length ? this.candles[0].time : null;
  }

  get last(): number | null {
    return this.candles.length ? this.candles[this.candles.length - 1].time : null;
  }

  /** Whether older klines of the range remain to be loaded. */
  get moreBefore(): boolean {
    return this.first != null && this.first - this.barMs >= this.fromMs && !this.reachedStart;
  }

  /** Whether newer klines of the range remain to be loaded. */
  get moreAfter(): boolean {
    return this.last != null && this.last + this.barMs <= this.toMs && !this.reachedEnd;
  }

  get busy(): boolean {
    return this.loading != null;
  }

  /** Loads the whole range when it is small, else a window of two pages around `focusMs` (default: the end). */
  async load(focusMs?: number): Promise<void> {
    const generation = ++this.generation;
    this.reachedStart = this.reachedEnd = false;
    const job = this.isWhole ? this.fetchAll() : this.fetchAround(focusMs ?? this.toMs);
    this.loading = job;
    try {
      const candles = await job;
      if (generation === this.generation) {
        this.candles = candles;
        if (this.isWhole) this.reachedStart = this.reachedEnd = true;
      }
    } finally {
      if (generation === this.generation) this.loading = null;
    }
  }

  /** Makes sure the bar at `t` is loaded (a jump from the equity chart, or a live fill to follow). */
  async ensure(t: number): Promise<boolean> {
    const first = this.first;
    const last = this.last;
    if (first != null && last != null && t >= first && t < last + this.barMs) return false;
    await this.load(Math.min(Math.max(t, this.fromMs), this.toMs));
    return true;
  }

  /**
   * Whether a page can be added on one side: when it would push candles out on the other side, only if
   * that side has at least a page of loaded bars out of view (`farBars`). Otherwise a view wide enough
   * to show both edges would load and drop pages back and forth for ever.
   */
  private roomFor(farBars: number): boolean {
    return this.candles.length + this.opts.pageSize <= this.opts.maxLoaded || farBars >= this.opts.pageSize;
  }

  /** Loads the page before the first loaded candle; false when there is none, no room, or a load is under way. */
  async extendBefore(farBars = Infinity): Promise<boolean> {
    if (this.loading || !this.moreBefore || this.first == null || !this.roomFor(farBars)) return false;
    const generation = this.generation;
    const job = this.pageBefore(this.first);
    this.loading = job;
    try {
      const page = await job;
      if (generation !== this.generation) return false;
      if (page.length === 0) {
        this.reachedStart = true;
        return false;
      }
      this.candles = page.concat(this.candles);
      if (this.candles.length > this.opts.maxLoaded) {
        this.candles = this.candles.slice(0, this.opts.maxLoaded);
        this.reachedEnd = false;
      }
      return true;
    } finally {
      if (generation === this.generation) this.loading = null;
    }
  }

  /** Loads the page after the last loaded candle; false when there is none, no room, or a load is under way. */
  async extendAfter(farBars = Infinity): Promise<boolean> {
    if (this.loading || !this.moreAfter || this.last == null || !this.roomFor(farBars)) return false;
    const generation = this.generation;
    const job = this.pageAfter(this.last);
    this.loading = job;
    try {
      const page = await job;
      if (generation !== this.generation) return false;
      if (page.length === 0) {
        this.reachedEnd = true;
        return false;
      }
      this.candles = this.candles.concat(page);
      if (this.candles.length > this.opts.maxLoaded) {
        this.candles = this.candles.slice(this.candles.length - this.opts.maxLoaded);
        this.reachedStart = false;
      }
      return true;
    } finally {
      if (generation === this.generation) this.loading = null;
    }
  }

  private async fetchAll(): Promise<Candle[]> {
    const out: Candle[] = [];
    let after = this.fromMs - 1;
    for (;;) {
      const page = await this.pageAfter(after);
      out.push(...page);
      if (page.length < this.opts.pageSize) return out;
      after = page[page.length - 1].time;
      if (after >= this.toMs) return out;
    }
  }

  private async fetchAround(focus: number): Promise<Candle[]> {
    const before = await this.pageBefore(focus + 1);
    const after = await this.pageAfter(before.length ? before[before.length - 1].time : focus);
    return before.concat(after);
  }

  /** Klines with afterMs < open_time ≤ toMs, one page. */
  private async pageAfter(afterMs: number): Promise<Candle[]> {
    const res = await this.client.klines(this.symbol, this.interval, { startMs: afterMs, endMs: this.toMs, limit: this.opts.pageSize });
    return res.data.map(toCandle);
  }

  /** Up to one page of klines with fromMs ≤ open_time < beforeMs, the ones nearest beforeMs. */
  private async pageBefore(beforeMs: number): Promise<Candle[]> {
    const floor = this.fromMs - 1;
    if (beforeMs - 1 <= floor) return [];
    const span = this.opts.pageSize * this.barMs;
    const start = Math.max(floor, beforeMs - span - 1);
    const res = await this.client.klines(this.symbol, this.interval, { startMs: start, endMs: beforeMs - 1, limit: this.opts.pageSize });
    if (res.data.length > 0 || start === floor) return res.data.map(toCandle);
    // a gap in the data wider than a page: find the last kline before it and take the page ending there
    const prev = await this.client.previousKline(this.symbol, this.interval, beforeMs);
    if (!prev) return [];
    const prevMs = timeMs(prev.open_time);
    if (prevMs < this.fromMs) return [];
    const again = await this.client.klines(this.symbol, this.interval, {
      startMs: Math.max(floor, prevMs - span),
      endMs: prevMs,
      limit: this.opts.pageSize,
    });
    return again.data.map(toCandle);
  }
}
