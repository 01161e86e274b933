package dev.candlebox.server.ratelimit;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code before} handler that counts each request against its client's budget under one policy.
 * Every counted response carries {@code X-RateLimit-Limit} and {@code X-RateLimit-Remaining}; a
 * request over the limit is answered here with 429, {@code Retry-After} and a JSON body, and the
 * route behind it does not run. CORS preflights (OPTIONS) are not counted.
 */
public final class RateLimitHandler implements Handler {

    public static final String LIMIT_HEADER = "X-RateLimit-Limit";
    public static final String REMAINING_HEADER = "X-RateLimit-Remaining";
    public static final String RETRY_AFTER_HEADER = "Retry-After";

    private final RateLimiter limiter;
    private final ClientAddress clients;
    private final String policy;

    public RateLimitHandler(RateLimiter limiter, ClientAddress clients, String policy) {
        this.limiter = limiter;
        this.clients = clients;
        this.policy = limiter.policy(policy).name(); // validates the name now, not on the first request
    }

    /** The kline API's handler: policy "kline", trusted proxies from the limiter's config. */
    public static RateLimitHandler forKlines(RateLimiter limiter) {
        return new RateLimitHandler(limiter, ClientAddress.from(limiter.config()), Policy.KLINE);
    }

    @Override
    public void handle(Context ctx) {
        if (!limiter.enabled() || ctx.method() == HandlerType.OPTIONS) {
            return;
        }
        Decision d = limiter.tryAcquire(policy, clients.budgetKey(ctx));
        ctx.header(LIMIT_HEADER, Integer.toString(d.limit()));
        ctx.header(REMAINING_HEADER, Integer.toString(d.remaining()));
        if (d.allowed()) {
            return;
        }
        ctx.header(RETRY_AFTER_HEADER, Long.toString(d.retryAfterSeconds()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", "Too many requests: the limit is " + limiter.policy(policy).describe()
                + " per client. Retry after " + d.retryAfterSeconds() + " s.");
        body.put("policy", policy);
        body.put("limit", d.limit());
        body.put("remaining", 0);
        body.put("retry_after", d.retryAfterSeconds());
        ctx.status(HttpStatus.TOO_MANY_REQUESTS).json(body);
        ctx.skipRemainingHandlers();
    }
}
