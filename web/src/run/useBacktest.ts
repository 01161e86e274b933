import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, fetchAllTrades, type Client } from '../api/client';
import { followRun, type EventSourceLike } from '../api/events';
import { LIMITS } from '../app/limits';
import { isTerminal, type BacktestRequest, type EquitySeries, type Run, type RunError, type RunStatus, type Trade } from '../api/types';

export type Phase = 'idle' | 'starting' | RunStatus;

export interface RequestProblem {
  message: string;
  field: string | null;
  retryAfter: number | null;
  status: number | null;
}

export interface BacktestView {
  phase: Phase;
  run: Run | null;
  progress: number;
  /** Fills in time order: live ones while running, then the stored list. */
  fills: Trade[];
  /** While the stored list downloads: how far it got. */
  tradesLoading: { count: number; total: number } | null;
  equity: EquitySeries | null;
  logs: string;
  error: RunError | null;
  problem: RequestProblem | null;
  /** The stream and polling both failed. */
  lost: boolean;
  /** Stop was pressed; the run has not ended yet. */
  stopping: boolean;
}

export const EMPTY_VIEW: BacktestView = {
  phase: 'idle',
  run: null,
  progress: 0,
  fills: [],
  tradesLoading: null,
  equity: null,
  logs: '',
  error: null,
  problem: null,
  lost: false,
  stopping: false,
};

export interface BacktestOptions {
  /** Most characters of printed output kept in the page (the oldest are dropped). */
  maxLogChars?: number;
  /** How often live fills are handed to React (they arrive far faster than frames). */
  flushMs?: number;
  equityMaxPoints?: number;
  /** How often a waiting run is read again for its queue place and workers. */
  waitingPollMs?: number;
  openEventSource?: (url: string) => EventSourceLike;
  onEnded?(run: Run): void;
}

function problemOf(e: unknown): RequestProblem {
  if (e instanceof ApiError) return { message: e.message, field: e.field, retryAfter: e.retryAfter, status: e.status };
  return { message: e instanceof Error ? e.message : String(e), field: null, retryAfter: null, status: null };
}

export function capLogs(text: string, max: number): string {
  return text.length <= max ? text : '…\n' + text.slice(text.length - max);
}

/** Submits, follows (SSE), stops and reopens backtests; one at a time per page. */
export function useBacktest(client: Client, options: BacktestOptions = {}) {
  const {
    maxLogChars = LIMITS.maxLogChars,
    flushMs = LIMITS.liveFlushMs,
    equityMaxPoints = LIMITS.equityMaxPoints,
    waitingPollMs = LIMITS.waitingPollMs,
  } = options;
  const [view, setView] = useState<BacktestView>(EMPTY_VIEW);
  const session = useRef(0);
  const unfollow = useRef<(() => void) | null>(null);
  const pending = useRef<{ fills: Trade[]; logs: string }>({ fills: [], logs: '' });
  const flushTimer = useRef<ReturnType<typeof setInterval> | null>(null);
  const optsRef = useRef(options);
  optsRef.current = options;

  const flush = useCallback(() => {
    const { fills, logs } = pending.current;
    if (fills.length === 0 && logs === '') return;
    pending.current = { fills: [], logs: '' };
    setView((v) => ({
      ...v,
      fills: fills.length ? v.fills.concat(fills) : v.fills,
      logs: logs ? capLogs(v.logs + logs, maxLogChars) : v.logs,
    }));
  }, [maxLogChars]);

  const stopFollowing = useCallback(() => {
    unfollow.current?.();
    unfollow.current = null;
    if (flushTimer.current != null) clearInterval(flushTimer.current);
    flushTimer.current = null;
  }, []);

  useEffect(() => stopFollowing, [stopFollowing]);

  /** After a run ended: its stored trades and equity curve. */
  const loadOutcome = useCallback(
    async (run: Run, mine: number) => {
      const alive = () => session.current === mine;
      setView((v) => ({
        ...v,
        phase: run.status,
        stopping: false,
        run,
        progress: run.status === 'succeeded' ? 1 : run.progress ?? v.progress,
        error: run.error ?? null,
        logs: run.logs != null && run.logs !== '' ? capLogs(run.logs, maxLogChars) : v.logs,
      }));
      optsRef.current.onEnded?.(run);
      if (run.status === 'failed' && !run.result) return;
      const equity = client.equity(run.id, equityMaxPoints).catch(() => null);
      try {
        const trades = await fetchAllTrades(client, run.id, (soFar, total) => {
          if (alive() && total > 1000) setView((v) => ({ ...v, tradesLoading: { count: soFar.length, total } }));
        });
        if (alive()) setView((v) => ({ ...v, fills: trades, tradesLoading: null }));
      } catch {
        if (alive()) setView((v) => ({ ...v, tradesLoading: null }));
      }
      const eq = await equity;
      if (alive()) setView((v) => ({ ...v, equity: eq }));
    },
    [client, equityMaxPoints, maxLogChars],
  );

  const follow = useCallback(
    (run: Run, mine: number) => {
      stopFollowing();
      flushTimer.current = setInterval(flush, flushMs);
      unfollow.current = followRun(
        run.id,
        {
          progress: (p) => session.current === mine && setView((v) => ({ ...v, progress: p, phase: v.phase === 'queued' && p > 0 ? 'running' : v.phase })),
          fill: (t) => {
            if (session.current === mine) pending.current.fills.push(t);
          },
          log: (text) => {
            // printed text arrives as written (a print is often its text, then its newline)
            if (session.current === mine) pending.current.logs += text;
          },
          status: (s) => session.current === mine && setView((v) => (v.phase !== 'idle' && v.phase !== 'starting' && isTerminal(v.phase) ? v : { ...v, phase: s })),
          poll: (r) => session.current === mine && setView((v) => ({ ...v, phase: r.status, run: r, logs: r.logs ? capLogs(r.logs, maxLogChars) : v.logs })),
          end: (r) => {
            if (session.current !== mine) return;
            flush();
            stopFollowing();
            void loadOutcome(r, mine);
          },
          lost: () => session.current === mine && setView((v) => ({ ...v, lost: true })),
        },
        { client, openEventSource: optsRef.current.openEventSource },
      );
    },
    [client, flush, flushMs, loadOutcome, maxLogChars, stopFollowing],
  );

  const start = useCallback(
    async (request: BacktestRequest): Promise<Run | null> => {
      const mine = ++session.current;
      stopFollowing();
      pending.current = { fills: [], logs: '' };
      setView({ ...EMPTY_VIEW, phase: 'starting' });
      try {
        const run = await client.createBacktest(request);
        if (session.current !== mine) return run;
        setView((v) => ({ ...v, phase: run.status, run: { ...run, request: run.request ?? request }, progress: run.progress ?? 0 }));
        if (isTerminal(run.status)) void loadOutcome(run, mine);
        else follow(run, mine);
        return run;
      } catch (e) {
        if (session.current === mine) setView({ ...EMPTY_VIEW, problem: problemOf(e) });
        return null;
      }
    },
    [client, follow, loadOutcome, stopFollowing],
  );

  const stop = useCallback(async () => {
    const id = view.run?.id;
    if (!id) return;
    const mine = session.current;
    setView((v) => ({ ...v, stopping: true }));
    // the stream's `end` usually arrives too; whichever comes first settles it
    const settle = (run: Run) => {
      if (session.current === mine && isTerminal(run.status) && unfollow.current) {
        flush();
        stopFollowing();
        void loadOutcome(run, mine);
      }
    };
    try {
      settle(await client.cancelBacktest(id));
    } catch (e) {
      // 409: it ended on its own meanwhile. Another error status may still come with the run cancelled (a
      // CORS filter has answered 400 to a request with an Origin header after the handler ran): believe the run.
      const run = await client.getBacktest(id).catch(() => null);
      if (run && isTerminal(run.status)) return settle(run);
      if (e instanceof ApiError && e.status === 409) return;
      if (session.current === mine) setView((v) => ({ ...v, stopping: false, problem: problemOf(e) }));
    }
  }, [client, flush, loadOutcome, stopFollowing, view.run?.id]);

  /** Shows a stored run (from the history), following it if it is still going. */
  const open = useCallback(
    async (id: string): Promise<Run | null> => {
      const mine = ++session.current;
      stopFollowing();
      pending.current = { fills: [], logs: '' };
      setView({ ...EMPTY_VIEW, phase: 'starting' });
      try {
        const run = await client.getBacktest(id);
        if (session.current !== mine) return run;
        setView((v) => ({ ...v, phase: run.status, run, progress: run.progress ?? 0, logs: run.logs ?? '' }));
        if (isTerminal(run.status)) await loadOutcome(run, mine);
        else follow(run, mine);
        return run;
      } catch (e) {
        if (session.current === mine) setView({ ...EMPTY_VIEW, problem: problemOf(e) });
        return null;
      }
    },
    [client, follow, loadOutcome, stopFollowing],
  );

  // while a run waits (queued, or running before its first progress) its `waiting` is read again now and then:
  // the queue moves and workers start without an event saying so
  const waitingNow = view.phase === 'queued' || (view.phase === 'running' && view.progress === 0);
  const runId = view.run?.id;
  useEffect(() => {
    if (!runId || !waitingNow) return;
    const mine = session.current;
    const timer = setInterval(() => {
      client
        .getBacktest(runId)
        .then((r) => {
          if (session.current !== mine) return;
          setView((v) =>
            v.run?.id !== r.id || isTerminal(v.phase as RunStatus)
              ? v
              : { ...v, run: { ...v.run, waiting: r.waiting ?? null }, phase: v.phase === 'queued' && r.status === 'running' ? 'running' : v.phase },
          );
        })
        .catch(() => undefined);
    }, waitingPollMs);
    return () => clearInterval(timer);
  }, [client, runId, waitingNow, waitingPollMs]);

  const dismissProblem = useCallback(() => setView((v) => ({ ...v, problem: null })), []);
  const clearLogs = useCallback(() => setView((v) => ({ ...v, logs: '' })), []);

  return { view, start, stop, open, dismissProblem, clearLogs };
}
