package dev.candlebox.server.http;

import io.javalin.Javalin;
import io.javalin.http.Context;

import java.util.List;
import java.util.Set;

/**
 * CORS for the configured browser origins. An origin that is not allowed simply gets no CORS headers (the
 * browser then keeps the answer from that page); the request itself is served, so the server's own page,
 * whose scripts and POSTs carry its own Origin, is never refused.
 */
public final class Cors {
    private static final String EXPOSED = "Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, Link, Location";
    private static final String METHODS = "GET, POST, PATCH, DELETE, OPTIONS";

    private final Set<String> origins;
    private final boolean any;

    public Cors(List<String> origins) {
        this.any = origins.contains("*");
        this.origins = Set.copyOf(origins);
    }

    public void register(Javalin app) {
        app.before(this::headers);
        // a preflight is answered here, before routing and rate limits
        app.options("/*", ctx -> ctx.status(204));
    }

    private void headers(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || !(any || origins.contains(origin))) return;
        ctx.header("Access-Control-Allow-Origin", any ? "*" : origin);
        ctx.header("Vary", "Origin");
        ctx.header("Access-Control-Expose-Headers", EXPOSED);
        if (ctx.method().name().equals("OPTIONS")) {
            ctx.header("Access-Control-Allow-Methods", METHODS);
            String requested = ctx.header("Access-Control-Request-Headers");
            ctx.header("Access-Control-Allow-Headers", requested == null || requested.isBlank() ? "Content-Type" : requested);
            ctx.header("Access-Control-Max-Age", "600");
        }
    }
}
