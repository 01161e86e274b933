package dev.candlebox.db.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local stand-in for Binance's public kline endpoints ({@code /api/v3/klines}, {@code /fapi/v1/klines}) and,
 * with {@link #withFunding}, its funding-rate history ({@code /fapi/v1/fundingRate}),
 * answering from real rows (the raw 12 fields of a Binance kline file) exactly as Binance would: the klines
 * with {@code startTime <= open time <= endTime}, ascending, at most {@code limit} (default 500; more than the
 * market's maximum is a 400), as an array of arrays with times and trade counts as numbers and every price and
 * volume as a string. Faults can be queued for the next requests, or set for every request from now on.
 */
public final class FakeBinance implements AutoCloseable {

    /** A failure the fake answers a request with instead of klines. */
    public sealed interface Fault {
        /** 429 with Retry-After, as Binance answers a client over its request weight. */
        record TooManyRequests(int retryAfterSeconds) implements Fault {}

        record ServerError(int status) implements Fault {}

        /** No answer for this long (the client should time out first). */
        record Hang(Duration duration) implements Fault {}

        /** Headers and half the body, then the connection is closed. */
        record DropConnection() implements Fault {}
    }

    /** One request as the fake saw it. */
    public record Seen(String path, Map<String, String> query, int status, int klines) {
        public long startTime() {
            return Long.parseLong(query.get("startTime"));
        }

        public int limit() {
            return Integer.parseInt(query.get("limit"));
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final String symbol;
    private final String interval;
    private final List<String[]> rows;
    private final long[] openTimes;
    private final Deque<Fault> queued = new ArrayDeque<>();
    private volatile Fault always;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile List<String[]> funding = List.of();
    private volatile long[] fundingTimes = new long[0];

    /** Serves {@code rows} (raw 12-field Binance klines, ascending) as {@code symbol} at {@code interval}. */
    public FakeBinance(String symbol, String interval, List<String[]> rows) {
        this.symbol = symbol;
        this.interval = interval;
        this.rows = List.copyOf(rows);
        this.openTimes = rows.stream().mapToLong(r -> Long.parseLong(r[0])).toArray();
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(executor);
        server.createContext("/api/v3/klines", ex -> handle(ex, 1000));
        server.createContext("/fapi/v1/klines", ex -> handle(ex, 1500));
        server.createContext("/fapi/v1/fundingRate", this::handleFunding);
        server.start();
    }

    /**
     * Serves {@code rows} (fundingTime, fundingRate, markPrice as text; ascending) at {@code /fapi/v1/fundingRate}
     * as Binance does: the rates with {@code startTime <= fundingTime <= endTime}, ascending, at most {@code limit}
     * (default 100, at most 1000), as objects with the time as a number and the rate and mark price as strings.
     */
    public FakeBinance withFunding(List<String[]> rows) {
        this.funding = List.copyOf(rows);
        this.fundingTimes = rows.stream().mapToLong(r -> Long.parseLong(r[0])).toArray();
        return this;
    }

    private void handleFunding(HttpExchange ex) throws IOException {
        try (ex) {
            Map<String, String> q = query(ex.getRequestURI());
            String path = ex.getRequestURI().getPath();
            Fault fault = nextFault();
            if (fault != null) {
                fail(ex, fault, path, q);
                return;
            }
            if (!symbol.equals(q.get("symbol"))) {
                send(ex, 400, "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}", path, q, 0);
                return;
            }
            int limit = q.containsKey("limit") ? Integer.parseInt(q.get("limit")) : 100;
            if (limit < 1 || limit > 1000) {
                send(ex, 400, "{\"code\":-1130,\"msg\":\"Invalid data sent for a parameter: limit must be 1..1000.\"}", path, q, 0);
                return;
            }
            long start = q.containsKey("startTime") ? Long.parseLong(q.get("startTime")) : Long.MIN_VALUE;
            long end = q.containsKey("endTime") ? Long.parseLong(q.get("endTime")) : Long.MAX_VALUE;
            int i = Arrays.binarySearch(fundingTimes, start);
            StringBuilder body = new StringBuilder("[");
            int n = 0;
            for (i = i >= 0 ? i : -i - 1; i < funding.size() && n < limit && fundingTimes[i] <= end; i++, n++) {
                String[] f = funding.get(i);
                if (n > 0) body.append(',');
                body.append("{\"symbol\":\"").append(symbol).append("\",\"fundingTime\":").append(f[0])
                        .append(",\"fundingRate\":\"").append(f[1]).append("\",\"markPrice\":\"")
                        .append(f.length > 2 ? f[2] : "").append("\"}");
            }
            body.append(']');
            send(ex, 200, body.toString(), path, q, n);
        }
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next requests fail with these faults, one each, in order. */
    public synchronized void inject(Fault... faults) {
        queued.addAll(Arrays.asList(faults));
    }

    /** Every request from now on fails with {@code fault} (null: serve again). */
    public void failAlways(Fault fault) {
        always = fault;
    }

    public List<Seen> requests() {
        return List.copyOf(seen);
    }

    private synchronized Fault nextFault() {
        if (always != null) return always;
        return queued.pollFirst();
    }

    private void handle(HttpExchange ex, int maxLimit) throws IOException {
        try (ex) {
            Map<String, String> q = query(ex.getRequestURI());
            String path = ex.getRequestURI().getPath();
            Fault fault = nextFault();
            if (fault != null) {
                fail(ex, fault, path, q);
                return;
            }
            if (!symbol.equals(q.get("symbol"))) {
                send(ex, 400, "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}", path, q, 0);
                return;
            }
            if (!interval.equals(q.get("interval"))) {
                send(ex, 400, "{\"code\":-1120,\"msg\":\"Invalid interval.\"}", path, q, 0);
                return;
            }
            int limit = q.containsKey("limit") ? Integer.parseInt(q.get("limit")) : 500;
            if (limit < 1 || limit > maxLimit) {
                send(ex, 400, "{\"code\":-1130,\"msg\":\"Invalid data sent for a parameter: limit must be 1.." + maxLimit + ".\"}", path, q, 0);
                return;
            }
            long start = q.containsKey("startTime") ? Long.parseLong(q.get("startTime")) : Long.MIN_VALUE;
            long end = q.containsKey("endTime") ? Long.parseLong(q.get("endTime")) : Long.MAX_VALUE;
            int from = lowerBound(start);
            StringBuilder body = new StringBuilder("[");
            int n = 0;
            for (int i = from; i < rows.size() && n < limit && openTimes[i] <= end; i++, n++) {
                if (n > 0) body.append(',');
                appendKline(body, rows.get(i));
            }
            body.append(']');
            send(ex, 200, body.toString(), path, q, n);
        }
    }

    /** Binance's shape: [openTime,"open","high","low","close","volume",closeTime,"quote",trades,"takerBase","takerQuote","0"]. */
    private static void appendKline(StringBuilder sb, String[] f) {
        sb.append('[').append(f[0]);
        for (int i = 1; i <= 5; i++) sb.append(",\"").append(f[i]).append('"');
        sb.append(',').append(f[6]).append(",\"").append(f[7]).append("\",").append(f[8]);
        sb.append(",\"").append(f[9]).append("\",\"").append(f[10]).append("\",\"").append(f.length > 11 ? f[11] : "0").append("\"]");
    }

    private int lowerBound(long start) {
        int i = Arrays.binarySearch(openTimes, start);
        return i >= 0 ? i : -i - 1;
    }

    private void fail(HttpExchange ex, Fault fault, String path, Map<String, String> q) throws IOException {
        switch (fault) {
            case Fault.TooManyRequests t -> {
                ex.getResponseHeaders().set("Retry-After", String.valueOf(t.retryAfterSeconds()));
                send(ex, 429, "{\"code\":-1003,\"msg\":\"Too many requests.\"}", path, q, 0);
            }
            case Fault.ServerError s -> send(ex, s.status(), "{\"code\":-1000,\"msg\":\"An unknown error occurred.\"}", path, q, 0);
            case Fault.Hang h -> {
                seen.add(new Seen(path, q, 0, 0));
                try {
                    closing.await(h.duration().toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            case Fault.DropConnection d -> {
                byte[] body = "[[1546300800000,\"3701.23000000\",\"3713.00000000\"".getBytes(StandardCharsets.UTF_8);
                seen.add(new Seen(path, q, -1, 0));
                ex.sendResponseHeaders(200, body.length * 4L);
                OutputStream out = ex.getResponseBody();
                out.write(body);
                out.flush();
                // closing with fewer bytes than announced makes the server drop the connection
            }
        }
    }

    private void send(HttpExchange ex, int status, String body, String path, Map<String, String> q, int klines) throws IOException {
        seen.add(new Seen(path, q, status, klines));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> m = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) return m;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
