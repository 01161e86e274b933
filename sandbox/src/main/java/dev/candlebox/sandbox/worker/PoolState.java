package dev.candlebox.sandbox.worker;

/**
 * A snapshot of the pool for /health and metrics.
 *
 * @param size       configured number of workers
 * @param alive      worker processes running now
 * @param busy       workers executing a run now
 * @param queued     runs waiting for a worker
 * @param restarts   workers replaced since the pool started (killed, crashed, or out of memory)
 * @param optimizing whether workers run with the Truffle optimizing compiler (false: interpreted)
 * @param warm       workers running that have finished their warm-up (or have none configured)
 */
public record PoolState(int size, int alive, int busy, int queued, long restarts, boolean optimizing, int warm) {
}
