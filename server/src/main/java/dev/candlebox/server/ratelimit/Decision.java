package dev.candlebox.server.ratelimit;

/**
 * The answer to one request: may it pass, and what the client should be told.
 *
 * @param allowed           true when every window of the policy had room; the request was counted
 * @param limit             the limit of the window that binds: on a refusal the window that refused
 *                          (the one that reopens last), otherwise the window with the fewest
 *                          requests left (the shorter one on a tie)
 * @param remaining         requests left in that window after this one; 0 on a refusal
 * @param retryAfterSeconds on a refusal, whole seconds (≥ 1, rounded up) until the refusing windows
 *                          reopen; 0 when allowed
 */
public record Decision(boolean allowed, int limit, int remaining, long retryAfterSeconds) {

    /** What a limiter with rate limits switched off answers. */
    static final Decision UNLIMITED = new Decision(true, Integer.MAX_VALUE, Integer.MAX_VALUE, 0);

    static Decision allowed(int limit, int remaining) {
        return new Decision(true, limit, remaining, 0);
    }

    /** A refusal; {@code waitMillis} is rounded up to whole seconds, and never below 1. */
    static Decision refused(int limit, long waitMillis) {
        return new Decision(false, limit, 0, Math.max(1, Math.ceilDiv(waitMillis, 1000)));
    }
}
