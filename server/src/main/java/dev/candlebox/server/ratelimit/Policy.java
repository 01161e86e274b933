package dev.candlebox.server.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A named set of limits that must all hold, e.g. "kline": 30 per second and 1000 per minute.
 * Each window is a fixed window that opens with a client's first request and closes {@code length}
 * later; requests refused with 429 do not count.
 *
 * @param name    goes into the Redis key, so it is restricted to lower-case letters, digits and '-'
 * @param windows one or more windows of distinct lengths, kept shortest first
 */
public record Policy(String name, List<Window> windows) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    /** The policy of the kline API. */
    public static final String KLINE = "kline";

    public Policy {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "policy name '" + name + "' must be 1-64 characters of a-z, 0-9 and '-'");
        }
        if (windows == null || windows.isEmpty()) {
            throw new IllegalArgumentException("policy '" + name + "' needs at least one window");
        }
        List<Window> sorted = new ArrayList<>(windows);
        sorted.sort(Comparator.comparing(Window::length));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).length().equals(sorted.get(i - 1).length())) {
                throw new IllegalArgumentException(
                        "policy '" + name + "' has two windows of " + sorted.get(i).length());
            }
        }
        windows = List.copyOf(sorted);
    }

    /** "30 per second and 1000 per minute". */
    public String describe() {
        List<String> parts = windows.stream().map(Window::describe).toList();
        return String.join(" and ", parts);
    }

    /** The longest window: how long a client's counters must be kept. */
    Duration longest() {
        return windows.getLast().length();
    }

    /**
     * At most {@code limit} requests per {@code length}.
     *
     * @param length at least one millisecond, whole milliseconds
     * @param limit  at least 1
     */
    public record Window(Duration length, int limit) {
        public Window {
            if (length == null || length.toMillis() < 1 || !length.equals(Duration.ofMillis(length.toMillis()))) {
                throw new IllegalArgumentException("window length must be a whole number of milliseconds ≥ 1, got " + length);
            }
            if (limit < 1) {
                throw new IllegalArgumentException("window limit must be ≥ 1, got " + limit);
            }
        }

        String describe() {
            long ms = length.toMillis();
            String unit;
            if (ms == 1000) {
                unit = "second";
            } else if (ms == 60_000) {
                unit = "minute";
            } else if (ms == 3_600_000) {
                unit = "hour";
            } else if (ms == 86_400_000) {
                unit = "day";
            } else if (ms % 1000 == 0) {
                unit = (ms / 1000) + " s";
            } else {
                unit = ms + " ms";
            }
            return limit + " per " + unit;
        }
    }
}
