import { describe, expect, it } from 'vitest';
import { waitingLine } from './waiting';

const pool = (o: Partial<{ ahead: number; workers: number; workersReady: number; workersWarm: number; workersBusy: number }>) => ({
  workers: 2,
  workersReady: 2,
  workersWarm: 2,
  workersBusy: 0,
  ...o,
});

describe('what a waiting run says', () => {
  it('queued behind other runs', () => {
    expect(waitingLine('queued', 0, pool({ ahead: 3, workersBusy: 2 }))).toEqual({ key: 'wait.queuedBehind', vars: { count: 3 }, warming: false });
  });
  it('next in line while every worker is busy', () => {
    expect(waitingLine('queued', 0, pool({ ahead: 0, workersBusy: 2 }))?.key).toBe('wait.workersBusy');
  });
  it('a worker still starting', () => {
    expect(waitingLine('queued', 0, pool({ ahead: 0, workersReady: 0, workersWarm: 0 }))).toEqual({
      key: 'wait.workerStarting',
      vars: { ready: 0, workers: 2 },
      warming: false,
    });
    expect(waitingLine('running', 0, pool({ workersReady: 0, workersWarm: 0 }))?.key).toBe('wait.workerStarting');
  });
  it('compiling before the first progress, then the percentage; warming workers are said', () => {
    expect(waitingLine('running', 0, pool({ workersBusy: 1 }))).toEqual({ key: 'wait.compiling', warming: false });
    expect(waitingLine('running', 0.426, pool({ workersWarm: 1, workersBusy: 1 }))).toEqual({ key: 'wait.running', vars: { pct: 42 }, warming: true });
  });
  it('nothing to say once the run ended or before one', () => {
    expect(waitingLine('succeeded', 1, null)).toBeNull();
    expect(waitingLine('idle', 0, null)).toBeNull();
    expect(waitingLine('starting', 0, null)?.key).toBe('wait.submitting');
  });
});
