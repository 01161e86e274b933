import type { Client } from './client';
import { LIMITS } from '../app/limits';
import { isTerminal, type Run, type Trade } from './types';

/** What the page learns about a run while it is queued or running. */
export interface RunListener {
  progress(fraction: number): void;
  /** The run changed state (the server sends `status` when a queued run starts). */
  status?(status: Run['status']): void;
  fill(trade: Trade): void;
  log(text: string): void;
  /** The run has ended (succeeded, failed, cancelled): the whole run as GET returns it. */
  end(run: Run): void;
  /** The stream is gone and polling took over: the run as last seen. */
  poll?(run: Run): void;
  /** Neither the stream nor polling can reach the server. */
  lost?(error: unknown): void;
}

/** The part of the browser's EventSource used here (a fake in tests). */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
  onerror: ((event: Event) => void) | null;
  onopen: ((event: Event) => void) | null;
}

export interface FollowOptions {
  client: Pick<Client, 'eventsUrl' | 'getBacktest'>;
  openEventSource?: (url: string) => EventSourceLike;
  /** Stream errors tolerated (the browser reconnects by itself) before polling takes over. */
  maxStreamErrors?: number;
  pollIntervalMs?: number;
  /** Consecutive failed polls before giving up. */
  maxPollFailures?: number;
  /** While the stream is quiet this long, the run is read once to keep its state honest. */
  quietCheckMs?: number;
}

const CLOSED = 2;

/** Identity of a fill, so that one replayed after a reconnect is shown once. */
export function fillKey(t: Trade): string {
  return `${t.timestamp}|${t.type}|${t.price}|${t.amount}|${t.balance}|${t.fee}`;
}

function parse(event: MessageEvent): unknown {
  try {
    return JSON.parse(String(event.data));
  } catch {
    return null;
  }
}

/**
 * Follows a run over Server-Sent Events (`status`, `progress`, `fill`, `log`, `end`), falling back to polling
 * GET /backtests/{id} when the stream fails repeatedly. Returns a function that stops following.
 */
export function followRun(id: string, listener: RunListener, options: FollowOptions): () => void {
  const { client } = options;
  const openEventSource = options.openEventSource ?? ((url: string) => new EventSource(url) as unknown as EventSourceLike);
  const maxStreamErrors = options.maxStreamErrors ?? LIMITS.maxStreamErrors;
  const pollIntervalMs = options.pollIntervalMs ?? LIMITS.pollIntervalMs;
  const maxPollFailures = options.maxPollFailures ?? LIMITS.maxPollFailures;
  const quietCheckMs = options.quietCheckMs ?? LIMITS.quietCheckMs;

  let stopped = false;
  let ended = false;
  let source: EventSourceLike | null = null;
  let pollTimer: ReturnType<typeof setTimeout> | null = null;
  let quietTimer: ReturnType<typeof setTimeout> | null = null;
  let streamErrors = 0;
  const seen = new Set<string>();

  const finish = (run: Run) => {
    if (ended || stopped) return;
    ended = true;
    stop();
    listener.end(run);
  };

  const stop = () => {
    stopped = true;
    source?.close();
    source = null;
    if (pollTimer != null) clearTimeout(pollTimer);
    if (quietTimer != null) clearTimeout(quietTimer);
    pollTimer = quietTimer = null;
  };

  /**
   * Reads the run once: events sent before the stream opened are not replayed (a run that started at
   * once, or one that prints nothing and reports no progress, would otherwise look queued for ever).
   */
  const sync = async () => {
    try {
      const run = await client.getBacktest(id);
      if (stopped) return;
      if (isTerminal(run.status)) finish(run);
      else {
        listener.status?.(run.status);
        listener.progress(run.progress ?? 0);
      }
    } catch {
      // the stream or the poller carry on
    }
  };

  const heardSomething = () => {
    if (quietTimer != null) clearTimeout(quietTimer);
    if (stopped) return;
    quietTimer = setTimeout(() => {
      if (stopped || !source) return;
      void sync().then(heardSomething);
    }, quietCheckMs);
  };

  const checkOnce = async () => {
    // the run may have ended before the stream was opened, or the stream may have died with it
    try {
      const run = await client.getBacktest(id);
      if (isTerminal(run.status)) finish(run);
    } catch {
      // the stream's own retries or the poller decide what happens next
    }
  };

  const startPolling = () => {
    source?.close();
    source = null;
    let failures = 0;
    const tick = async () => {
      if (stopped) return;
      try {
        const run = await client.getBacktest(id);
        failures = 0;
        if (stopped) return;
        if (isTerminal(run.status)) return finish(run);
        listener.progress(run.progress ?? 0);
        listener.poll?.(run);
      } catch (error) {
        if (++failures >= maxPollFailures) {
          stop();
          listener.lost?.(error);
          return;
        }
      }
      if (!stopped) pollTimer = setTimeout(tick, pollIntervalMs);
    };
    void tick();
  };

  source = openEventSource(client.eventsUrl(id));
  source.onopen = () => {
    void sync();
    heardSomething();
  };
  // a proxy may hold the stream's first bytes back until an event comes: the quiet check runs from now on
  heardSomething();
  source.addEventListener('progress', (e) => {
    heardSomething();
    const data = parse(e) as { progress?: number } | null;
    if (data && typeof data.progress === 'number') listener.progress(data.progress);
  });
  source.addEventListener('status', (e) => {
    heardSomething();
    const data = parse(e) as { status?: Run['status'] } | null;
    if (data && typeof data.status === 'string') listener.status?.(data.status);
  });
  source.addEventListener('fill', (e) => {
    const trade = parse(e) as Trade | null;
    if (!trade || typeof trade.price !== 'number') return;
    const key = fillKey(trade);
    if (seen.has(key)) return;
    seen.add(key);
    listener.fill(trade);
  });
  source.addEventListener('log', (e) => {
    const data = parse(e) as { text?: string } | null;
    if (data && typeof data.text === 'string') listener.log(data.text);
  });
  source.addEventListener('end', (e) => {
    const run = parse(e) as Run | null;
    if (run && typeof run === 'object' && 'status' in run) finish({ ...run, id: String(run.id ?? id) });
    else void checkOnce();
  });
  source.onerror = () => {
    if (stopped) return;
    streamErrors++;
    if (source?.readyState === CLOSED || streamErrors >= maxStreamErrors) startPolling();
    else void checkOnce();
  };

  return stop;
}
