package dev.candlebox.server.ratelimit;

/** Where a client's window counters live: in Redis (shared by every instance) or in this process. */
sealed interface WindowStore permits RedisWindowStore, LocalWindowStore {

    /** Decides and counts one request of the client whose counters are at {@code key}. */
    Decision hit(Policy policy, String key);
}
