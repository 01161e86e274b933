// What the page says while a run waits or runs: from the run's status, progress and the server's `waiting`
// (queued runs ahead, workers started / warmed up / busy).
import type { MessageKey } from '../i18n/messages';
import type { RunWaiting } from '../api/types';
import type { Phase } from './useBacktest';

export interface WaitingLine {
  key: MessageKey;
  vars?: Record<string, string | number>;
  /** A second sentence: the workers are still warming up, so this run is slower than later ones. */
  warming: boolean;
}

export function waitingLine(phase: Phase, progress: number, waiting: RunWaiting | null | undefined): WaitingLine | null {
  const warming = !!waiting && waiting.workersReady > 0 && waiting.workersWarm < waiting.workers;
  switch (phase) {
    case 'starting':
      return { key: 'wait.submitting', warming: false };
    case 'queued':
      if (waiting?.ahead != null && waiting.ahead > 0) return { key: 'wait.queuedBehind', vars: { count: waiting.ahead }, warming };
      if (waiting && waiting.workersReady < waiting.workers && waiting.workersBusy >= waiting.workersReady)
        return { key: 'wait.workerStarting', vars: { ready: waiting.workersReady, workers: waiting.workers }, warming };
      if (waiting && waiting.workersBusy >= waiting.workers) return { key: 'wait.workersBusy', vars: { workers: waiting.workers }, warming };
      return { key: 'wait.queued', warming };
    case 'running':
      if (progress > 0) return { key: 'wait.running', vars: { pct: Math.floor(progress * 100) }, warming };
      if (waiting && waiting.workersReady === 0) return { key: 'wait.workerStarting', vars: { ready: 0, workers: waiting.workers }, warming: false };
      return { key: 'wait.compiling', warming };
    default:
      return null;
  }
}
