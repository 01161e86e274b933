package dev.candlebox.server.ratelimit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Window counters in this process' memory: the store without Redis, and the fallback while Redis is
 * away. Each key is updated under its map entry's lock, so concurrent requests of one client are
 * counted exactly. Counters are dropped one longest window after their last request; memory is
 * therefore proportional to the clients seen in the last minute (about 150 bytes each).
 */
final class LocalWindowStore implements WindowStore {

    private record Slot(long[] starts, int[] counts, long[] expiresAt) {}

    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    private final LongSupplier clockMillis;
    private final AtomicLong nextSweep = new AtomicLong();

    LocalWindowStore() {
        this(() -> System.nanoTime() / 1_000_000);
    }

    LocalWindowStore(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    @Override
    public Decision hit(Policy policy, String key) {
        long now = clockMillis.getAsLong();
        sweepIfDue(now);
        Decision[] out = new Decision[1];
        slots.compute(key, (k, slot) -> {
            if (slot == null || slot.starts.length != policy.windows().size()) {
                long[] starts = new long[policy.windows().size()];
                for (int i = 0; i < starts.length; i++) {
                    starts[i] = now - policy.windows().get(i).length().toMillis(); // already closed
                }
                slot = new Slot(starts, new int[starts.length], new long[1]);
            }
            out[0] = FixedWindows.hit(slot.starts, slot.counts, now, policy);
            if (out[0].allowed()) {
                slot.expiresAt[0] = now + policy.longest().toMillis();
            }
            return slot;
        });
        return out[0];
    }

    /** Forgets every counter, e.g. when Redis is back and holds the truth again. */
    void clear() {
        slots.clear();
    }

    int size() {
        return slots.size();
    }

    /** At most once a second, drops counters whose windows have all closed. */
    private void sweepIfDue(long now) {
        long due = nextSweep.get();
        if (now < due || !nextSweep.compareAndSet(due, now + 1000)) {
            return;
        }
        for (String key : slots.keySet()) {
            // computeIfPresent holds the entry's lock, so a request counted meanwhile is never lost.
            slots.computeIfPresent(key, (k, slot) -> slot.expiresAt[0] <= now ? null : slot);
        }
    }
}
