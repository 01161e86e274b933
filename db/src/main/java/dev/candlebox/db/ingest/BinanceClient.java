package dev.candlebox.db.ingest;

import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.kline.KlineColumns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binance's public kline and funding-rate endpoints (no API key), one page per call, with retries: HTTP 429 and 418 (rate
 * limited; {@code Retry-After} is obeyed), 5xx, timeouts, dropped connections and malformed bodies are retried
 * with capped exponential backoff plus jitter, up to {@link Config#maxAttempts()} attempts; any other answer
 * (400 for an unknown symbol, ...) fails at once with Binance's own message.
 */
public final class BinanceClient implements AutoCloseable {

    /** Waits between attempts; tests substitute one that records instead of sleeping. */
    @FunctionalInterface
    public interface Pause {
        Pause SLEEP = d -> Thread.sleep(d.toMillis());

        void pause(Duration duration) throws InterruptedException;
    }

    /**
     * @param baseUrls       where each market is served (Binance by default; a local fake in tests)
     * @param connectTimeout to open a connection
     * @param requestTimeout for a whole response, body included: a hung request is abandoned and retried
     * @param maxAttempts    attempts per page before the download fails (1 = no retries)
     * @param initialBackoff the wait after the first failure; doubled after each further one
     * @param maxBackoff     the most any backoff waits
     * @param maxRetryAfter  a {@code Retry-After} longer than this fails the download instead of waiting
     *                       (Binance answers 418 with hours when an IP is banned)
     */
    public record Config(Map<BinanceMarket, URI> baseUrls, Duration connectTimeout, Duration requestTimeout,
                         int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter,
                         Pause pause) {
        public Config {
            baseUrls = Map.copyOf(baseUrls);
            if (maxAttempts < 1) throw new IllegalArgumentException("max attempts must be at least 1, got " + maxAttempts);
            for (Duration d : new Duration[]{connectTimeout, requestTimeout, initialBackoff, maxBackoff, maxRetryAfter}) {
                if (d == null || d.isNegative()) throw new IllegalArgumentException("durations must not be negative");
            }
        }

        public static Config defaults() {
            return new Config(Map.of(BinanceMarket.SPOT, BinanceMarket.SPOT.defaultBaseUrl(),
                    BinanceMarket.USDT_FUTURES, BinanceMarket.USDT_FUTURES.defaultBaseUrl()),
                    Duration.ofSeconds(10), Duration.ofSeconds(30), 8, Duration.ofSeconds(1), Duration.ofSeconds(60),
                    Duration.ofMinutes(5), Pause.SLEEP);
        }

        /** The same settings with {@code url} serving {@code market}. */
        public Config withBaseUrl(BinanceMarket market, URI url) {
            Map<BinanceMarket, URI> m = new java.util.EnumMap<>(baseUrls);
            m.put(market, url);
            return new Config(m, connectTimeout, requestTimeout, maxAttempts, initialBackoff, maxBackoff, maxRetryAfter, pause);
        }

        public Config withTimeouts(Duration connect, Duration request) {
            return new Config(baseUrls, connect, request, maxAttempts, initialBackoff, maxBackoff, maxRetryAfter, pause);
        }

        public Config withRetries(int attempts, Duration initial, Duration max, Duration maxRetryAfterWait) {
            return new Config(baseUrls, connectTimeout, requestTimeout, attempts, initial, max, maxRetryAfterWait, pause);
        }

        public Config withPause(Pause p) {
            return new Config(baseUrls, connectTimeout, requestTimeout, maxAttempts, initialBackoff, maxBackoff, maxRetryAfter, p);
        }

        URI baseUrl(BinanceMarket market) {
            return baseUrls.getOrDefault(market, market.defaultBaseUrl());
        }
    }

    private static final Pattern BINANCE_MSG = Pattern.compile("\"msg\"\\s*:\\s*\"([^\"]*)\"");

    private final Config config;
    private final HttpClient http;

    public BinanceClient(Config config) {
        this.config = config;
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    public Config config() {
        return config;
    }

    /** The endpoint of {@code market}, for reports. */
    public URI endpoint(BinanceMarket market) {
        return config.baseUrl(market).resolve(market.path());
    }

    /** Binance's funding-rate history of USDT-M perpetuals, served beside the futures klines. */
    public static final String FUNDING_PATH = "/fapi/v1/fundingRate";
    /** The most funding rates one request may ask for. */
    public static final int FUNDING_LIMIT = 1000;

    /** The funding-rate endpoint (on the futures base URL), for reports. */
    public URI fundingEndpoint() {
        return config.baseUrl(BinanceMarket.USDT_FUTURES).resolve(FUNDING_PATH);
    }

    /**
     * Klines with {@code startTime <= open time <= endTime}, ascending, at most {@code limit}: one page, as
     * Binance answers it (the last one may still be forming). Throws {@link ImportException} when every
     * attempt failed or Binance refused the request.
     */
    public KlineColumns klines(BinanceMarket market, String symbol, Interval interval, long startTime, long endTime,
                               int limit, ImportListener listener) {
        URI uri = URI.create(endpoint(market) + "?symbol=" + symbol + "&interval=" + interval.code()
                + "&startTime=" + startTime + "&endTime=" + endTime + "&limit=" + limit);
        String what = "Binance " + market.code() + " klines " + symbol + " " + interval.code() + " from "
                + KlineTime.format(startTime);
        return fetch(uri, what, body -> parse(body, uri), listener);
    }

    /**
     * Settled funding rates with {@code startTime <= fundingTime <= endTime}, ascending, at most {@code limit}
     * ({@code GET /fapi/v1/fundingRate}; times as Binance stamps them, a few ms after the settlement), with the
     * same retries as {@link #klines}.
     */
    List<FundingFileReader.Row> fundingRates(String symbol, long startTime, long endTime, int limit, ImportListener listener) {
        URI uri = URI.create(fundingEndpoint() + "?symbol=" + symbol + "&startTime=" + startTime + "&endTime=" + endTime
                + "&limit=" + limit);
        String what = "Binance funding rates " + symbol + " from " + KlineTime.format(startTime);
        return fetch(uri, what, body -> {
            String start = new String(body, 0, Math.min(body.length, 16), StandardCharsets.UTF_8).replaceAll("\\s", "");
            if (start.startsWith("[]")) return List.<FundingFileReader.Row>of();
            if (!start.startsWith("[")) throw new ImportException(uri + ": not a JSON array");
            return FundingFileReader.read(new KlineFile(uri.toString(), () -> new ByteArrayInputStream(body))).rows();
        }, listener);
    }

    /**
     * One GET, retried as the class comment says until {@code parse} accepts the body; a body it refuses (throws
     * {@link ImportException}) counts as a malformed answer and is retried too.
     */
    private <T> T fetch(URI uri, String what, Function<byte[], T> parse, ImportListener listener) {
        String lastFailure = null;
        for (int attempt = 1; ; attempt++) {
            Duration retryAfter = null;
            try {
                HttpResponse<byte[]> response = send(uri);
                int status = response.statusCode();
                if (status == 200) {
                    try {
                        return parse.apply(response.body());
                    } catch (ImportException e) {
                        lastFailure = "malformed response: " + e.getMessage();
                    }
                } else if (status == 429 || status == 418 || status >= 500) {
                    lastFailure = "HTTP " + status + describe(status) + binanceMessage(response.body());
                    retryAfter = retryAfter(response).orElse(null);
                    if (retryAfter != null && retryAfter.compareTo(config.maxRetryAfter()) > 0) {
                        throw new ImportException(what + ": Binance asks to wait " + retryAfter.toSeconds()
                                + " s before the next request (" + lastFailure + "), longer than the "
                                + config.maxRetryAfter().toSeconds() + " s allowed; try again later");
                    }
                } else {
                    throw new ImportException(what + ": Binance refused the request: HTTP " + status
                            + binanceMessage(response.body()) + " (" + uri + ")");
                }
            } catch (TimeoutException e) {
                lastFailure = "no complete answer within " + config.requestTimeout().toMillis() + " ms";
            } catch (IOException e) {
                lastFailure = "connection failed: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage());
            }
            if (attempt >= config.maxAttempts()) {
                throw new ImportException(what + ": failed after " + attempt + " attempt" + (attempt == 1 ? "" : "s")
                        + "; last: " + lastFailure);
            }
            Duration wait = retryAfter != null ? retryAfter : backoff(attempt);
            listener.retrying(attempt, config.maxAttempts(), wait, lastFailure);
            try {
                config.pause().pause(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ImportException(what + ": interrupted while waiting to retry");
            }
        }
    }

    private HttpResponse<byte[]> send(URI uri) throws IOException, TimeoutException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header("Accept", "application/json")
                .header("User-Agent", "candlebox-import")
                .GET().build();
        // The request timeout of HttpClient stops at the headers; waiting on the future bounds the body too.
        CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            return future.get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof java.net.http.HttpTimeoutException) throw new TimeoutException(cause.getMessage());
            if (cause instanceof IOException io) throw io;
            throw new IOException(String.valueOf(cause), cause);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new ImportException("interrupted while downloading " + uri);
        }
    }

    /** Exponential backoff with "equal jitter": half the step fixed, half random, so retries spread out. */
    Duration backoff(int failures) {
        long initial = Math.max(1, config.initialBackoff().toMillis());
        long step = Math.min(config.maxBackoff().toMillis(), initial << Math.min(failures - 1, 30));
        long half = step / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(step - half + 1));
    }

    private static KlineColumns parse(byte[] body, URI uri) {
        String start = new String(body, 0, Math.min(body.length, 16), StandardCharsets.UTF_8).strip();
        KlineColumns out = new KlineColumns(1024);
        if (start.startsWith("[]")) return out;
        KlineFile page = new KlineFile(uri.toString(), () -> new ByteArrayInputStream(body));
        try (KlineFileReader reader = KlineFileReader.open(page, 0)) {
            if (!reader.hasCloseTimes()) throw new ImportException(uri + ": not Binance's 12-field klines");
            reader.forEach((r, where) -> out.add(r.openTime, r.open, r.high, r.low, r.close, r.volume, r.closeTime,
                    r.quoteVolume, r.tradesCount, r.takerBuyBaseVolume, r.takerBuyQuoteVolume));
        }
        return out;
    }

    /** {@code Retry-After}: seconds (what Binance sends) or an HTTP date. */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("Retry-After");
        if (header.isEmpty()) return Optional.empty();
        String v = header.get().strip();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(when.getZone()), when);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (RuntimeException e2) {
                return Optional.empty();
            }
        }
    }

    private static String describe(int status) {
        return switch (status) {
            case 429 -> " (rate limited)";
            case 418 -> " (IP banned for ignoring rate limits)";
            default -> "";
        };
    }

    private static String binanceMessage(byte[] body) {
        if (body == null || body.length == 0) return "";
        String text = new String(body, 0, Math.min(body.length, 500), StandardCharsets.UTF_8);
        Matcher m = BINANCE_MSG.matcher(text);
        return m.find() ? ": " + m.group(1) : "";
    }

    @Override
    public void close() {
        http.shutdownNow(); // close() would wait for abandoned (timed-out) exchanges
    }
}
