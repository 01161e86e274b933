package dev.candlebox.server.ratelimit;

import java.util.List;

/**
 * The counting rule, written twice: once in Java for the in-process store and once in Lua for
 * Redis, where it runs as one atomic script. The two must stay line-for-line equivalent.
 *
 * <p>Each window of a policy opens at the first request after the previous one closed and stays
 * open for its length. A request passes only when every window has room; then it is counted in all
 * of them. A refused request changes nothing.
 */
final class FixedWindows {
    private FixedWindows() {}

    /**
     * Decides one request against a client's windows and, when it passes, counts it.
     *
     * @param starts start of each window in ms (same order as {@code policy.windows()}); updated on a pass
     * @param counts requests counted in each window; updated on a pass
     * @param now    the current time in ms on the same clock as {@code starts}
     */
    static Decision hit(long[] starts, int[] counts, long now, Policy policy) {
        List<Policy.Window> windows = policy.windows();
        int n = windows.size();
        long[] s = starts.clone();
        int[] c = counts.clone();
        int refusedLimit = -1;
        long wait = 0;
        for (int i = 0; i < n; i++) {
            long length = windows.get(i).length().toMillis();
            int limit = windows.get(i).limit();
            if (now >= s[i] + length) {
                s[i] = now;
                c[i] = 0;
            }
            if (c[i] >= limit) {
                long w = s[i] + length - now;
                if (refusedLimit < 0 || w > wait) {
                    refusedLimit = limit;
                    wait = w;
                }
            }
        }
        if (refusedLimit >= 0) {
            return Decision.refused(refusedLimit, wait);
        }
        int bestLimit = 0;
        int bestRemaining = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            c[i]++;
            int remaining = windows.get(i).limit() - c[i];
            if (remaining < bestRemaining) {
                bestRemaining = remaining;
                bestLimit = windows.get(i).limit();
            }
        }
        System.arraycopy(s, 0, starts, 0, n);
        System.arraycopy(c, 0, counts, 0, n);
        return Decision.allowed(bestLimit, bestRemaining);
    }

    /**
     * The same rule as {@link #hit} for Redis. KEYS[1] is the client's hash; ARGV[1] the number of
     * windows n, then for each window (shortest first) its length in ms and its limit. The hash holds
     * "s{length}" (window start, ms on Redis' clock) and "c{length}" (requests counted) per window and
     * expires one longest window after the last counted request. Redis' own clock (TIME) is used so
     * that server instances with drifting clocks still agree. Returns {allowed 0|1, limit,
     * remaining, wait ms}.
     */
    static final String LUA = """
            local key = KEYS[1]
            local n = tonumber(ARGV[1])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local fields = {}
            for i = 1, n do
              fields[2 * i - 1] = 's' .. ARGV[2 * i]
              fields[2 * i] = 'c' .. ARGV[2 * i]
            end
            local stored = redis.call('HMGET', key, unpack(fields))
            local starts, counts, lengths, limits = {}, {}, {}, {}
            local refusedLimit, wait = -1, 0
            for i = 1, n do
              local length = tonumber(ARGV[2 * i])
              local limit = tonumber(ARGV[2 * i + 1])
              local s = tonumber(stored[2 * i - 1])
              local c = tonumber(stored[2 * i])
              if s == nil or c == nil or now >= s + length then
                s = now
                c = 0
              end
              lengths[i], limits[i], starts[i], counts[i] = length, limit, s, c
              if c >= limit then
                local w = s + length - now
                if refusedLimit < 0 or w > wait then
                  refusedLimit = limit
                  wait = w
                end
              end
            end
            if refusedLimit >= 0 then
              return {0, refusedLimit, 0, wait}
            end
            local bestLimit, bestRemaining = 0, nil
            local writes = {}
            for i = 1, n do
              counts[i] = counts[i] + 1
              local remaining = limits[i] - counts[i]
              if bestRemaining == nil or remaining < bestRemaining then
                bestRemaining = remaining
                bestLimit = limits[i]
              end
              writes[#writes + 1] = 's' .. lengths[i]
              writes[#writes + 1] = string.format('%d', starts[i])
              writes[#writes + 1] = 'c' .. lengths[i]
              writes[#writes + 1] = string.format('%d', counts[i])
            end
            redis.call('HSET', key, unpack(writes))
            redis.call('PEXPIRE', key, lengths[n])
            return {1, bestLimit, bestRemaining, 0}
            """;
}
