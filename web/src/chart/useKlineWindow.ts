import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, timeMs, type Client } from '../api/client';
import type { SeriesBounds } from '../config/ConfigPanel';
import { KlineWindow, type Candle, type KlineWindowOptions } from './klineWindow';

export interface ChartSubject {
  symbol: string;
  interval: string;
  fromMs: number;
  toMs: number;
}

/** The candles of the subject (a run's range, or the form's range before any run), paged by KlineWindow. */
export function useKlineWindow(client: Client, subject: ChartSubject | null, options?: KlineWindowOptions) {
  const [win, setWin] = useState<KlineWindow | null>(null);
  const [candles, setCandles] = useState<Candle[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const key = subject ? `${subject.symbol}|${subject.interval}|${subject.fromMs}|${subject.toMs}` : '';
  const optionsRef = useRef(options);

  useEffect(() => {
    if (!subject) {
      setWin(null);
      setCandles([]);
      return;
    }
    let alive = true;
    const w = new KlineWindow(client, subject.symbol, subject.interval, subject.fromMs, subject.toMs, optionsRef.current);
    setWin(w);
    setCandles([]);
    setError(null);
    setLoading(true);
    w.load()
      .then(() => alive && setCandles(w.candles))
      .catch((e) => alive && setError(e instanceof Error ? e.message : String(e)))
      .finally(() => alive && setLoading(false));
    return () => {
      alive = false;
    };
    // the subject is identified by its key
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, key]);

  const extend = useCallback(
    async (side: 'before' | 'after', farBars = Infinity) => {
      if (!win) return;
      try {
        const added = side === 'before' ? await win.extendBefore(farBars) : await win.extendAfter(farBars);
        if (added) setCandles(win.candles);
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      }
    },
    [win],
  );

  /** Loads the window around `t` if it is not loaded; true when the candles changed. */
  const ensure = useCallback(
    async (t: number): Promise<boolean> => {
      if (!win || win.busy) return false;
      try {
        const changed = await win.ensure(t);
        if (changed) setCandles(win.candles);
        return changed;
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
        return false;
      }
    },
    [win],
  );

  return { win, candles, loading, error, extend, ensure };
}

const boundsCache = new Map<string, SeriesBounds>();

/** Parses "intervals with data for BTCUSDT: [1h, 1m]" out of the kline API's 400. */
export function intervalsWithData(allowed: string | null): string[] | null {
  const m = allowed ? /\[([^\]]*)\]/.exec(allowed) : null;
  return m ? m[1].split(',').map((s) => s.trim()).filter(Boolean) : null;
}

/** First and last kline of a series (via /next and /previous), cached for the page's life. */
export function useSeriesBounds(client: Client, symbol: string | null, interval: string | null): SeriesBounds | null {
  const key = symbol && interval ? `${symbol}|${interval}` : null;
  const [bounds, setBounds] = useState<SeriesBounds | null>(key ? boundsCache.get(key) ?? null : null);
  useEffect(() => {
    if (!key || !symbol || !interval) {
      setBounds(null);
      return;
    }
    const cached = boundsCache.get(key);
    if (cached) {
      setBounds(cached);
      return;
    }
    let alive = true;
    setBounds({ state: 'loading' });
    Promise.all([client.nextKline(symbol, interval, 0), client.previousKline(symbol, interval)])
      .then(([first, last]) => {
        const b: SeriesBounds =
          first && last
            ? { state: 'ok', first: timeMs(first.open_time), last: timeMs(last.open_time) }
            : { state: 'error', message: `No klines for ${symbol} ${interval}`, intervalsWithData: null };
        boundsCache.set(key, b);
        if (alive) setBounds(b);
      })
      .catch((e) => {
        const b: SeriesBounds = {
          state: 'error',
          message: e instanceof Error ? e.message : String(e),
          intervalsWithData: e instanceof ApiError ? intervalsWithData(e.allowed) : null,
        };
        if (e instanceof ApiError && e.status === 400) boundsCache.set(key, b);
        if (alive) setBounds(b);
      });
    return () => {
      alive = false;
    };
  }, [client, key, symbol, interval]);
  return bounds;
}
