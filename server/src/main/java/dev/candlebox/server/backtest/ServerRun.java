package dev.candlebox.server.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.sandbox.engine.EquityCurve;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.DoubleConsumer;
import java.util.stream.Stream;

/**
 * A backtest handed to a running {@code candlebox serve} that reads the same database: its workers are warm, so
 * the run takes about what it takes in the web app instead of a new JVM, worker and GraalPy start. The run is an
 * ordinary stored run of that server (it shows in the web app's history).
 */
final class ServerRun {
    private final URI base;
    private final HttpClient http;
    private final ObjectMapper json;
    private String databaseId;

    private ServerRun(URI base, ObjectMapper json) {
        this.base = base;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    }

    /** A server's refusal (4xx/5xx) with the detail it gave. */
    static final class Refused extends IOException {
        final int status;

        Refused(int status, String detail) {
            super(detail);
            this.status = status;
        }
    }

    /** The server at {@code base} when it answers /health within the timeout as a healthy Candlebox server. */
    static Optional<ServerRun> probe(URI base, Duration timeout, ObjectMapper json, String[] why) {
        ServerRun s = new ServerRun(base, json);
        try {
            HttpResponse<String> r = s.http.send(HttpRequest.newBuilder(base.resolve("/health")).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            s.databaseId = r.statusCode() == 200 ? json.readTree(r.body()).path("database").path("id").asText(null) : null;
            if (s.databaseId == null) {
                why[0] = "the server at " + base + " is not a healthy Candlebox server";
                return Optional.empty();
            }
            return Optional.of(s);
        } catch (IOException e) {
            why[0] = "no server answers at " + base;
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why[0] = "interrupted";
            return Optional.empty();
        }
    }

    /**
     * Whether this server reads the database whose identity is {@code databaseId} (only then may it run this
     * command's backtest: same klines, same result); says why not on {@code err} when the server was named.
     */
    boolean readsDatabase(String databaseId, PrintStream err, boolean named) {
        if (databaseId.equals(this.databaseId)) return true;
        if (named) err.println("error: the server at " + base + " reads another database (the run needs a server reading this one)");
        return false;
    }

    URI base() {
        return base;
    }

    /** A finished run as the server stores it: the run (summary view), its trades and its equity curve. */
    record Finished(JsonNode run, ArrayNode trades, EquityCurve equity) {}

    /**
     * Submits the request, follows the run's events (progress to {@code progress}) until it ends and returns the run
     * with its trades and its whole equity curve (the columnar equity view, every point). Interrupting the JVM
     * (Ctrl-C) cancels the run on the server.
     */
    Finished run(ObjectNode body, DoubleConsumer progress) throws IOException, InterruptedException {
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(base.resolve(BacktestRoutes.BASE))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode answer = json.readTree(posted.body());
        if (posted.statusCode() != 202 && posted.statusCode() != 200) {
            throw new Refused(posted.statusCode(), answer.path("detail").asText(posted.body()));
        }
        String id = answer.get("id").asText();
        String run = BacktestRoutes.BASE + "/" + id;
        Thread cancel = new Thread(() -> {
            try {
                http.send(HttpRequest.newBuilder(base.resolve(run)).timeout(Duration.ofSeconds(2)).DELETE().build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (IOException | InterruptedException ignored) {
                // the server may be gone too
            }
        }, "cancel-run-on-exit");
        Runtime.getRuntime().addShutdownHook(cancel);
        try {
            follow(base.resolve(run + "/events"), progress);
        } finally {
            Runtime.getRuntime().removeShutdownHook(cancel);
        }
        JsonNode done = get(run + "?view=summary");
        if (!"succeeded".equals(done.path("status").asText())) return new Finished(done, null, null);
        ArrayNode trades = json.createArrayNode();
        int total;
        do {
            JsonNode page = get(run + "/trades?limit=10000&offset=" + trades.size());
            total = page.get("total").asInt();
            trades.addAll((ArrayNode) page.get("trades"));
        } while (trades.size() < total);
        JsonNode e = get(run + "/equity?maxPoints=1000000");
        int n = e.get("total").asInt();
        if (e.get("equity").size() != n) throw new IOException("the server thinned the equity curve of " + n + " points");
        long[] t = new long[n];
        double[] eq = new double[n], bal = new double[n], pos = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = e.get("timestamp").get(i).longValue();
            eq[i] = e.get("equity").get(i).doubleValue();
            bal[i] = e.get("balance").get(i).doubleValue();
            pos[i] = e.get("position").get(i).doubleValue();
        }
        return new Finished(done, trades, new EquityCurve(t, eq, bal, pos));
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new Refused(r.statusCode(), r.body());
        return json.readTree(r.body());
    }

    /** Reads the run's server-sent events until "end" (sent at once if the run has already ended). */
    private void follow(URI events, DoubleConsumer progress) throws IOException, InterruptedException {
        HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(events).header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = r.body()) {
            String event = "message";
            for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    if (event.equals("progress")) progress.accept(json.readTree(line.substring(5)).path("progress").asDouble());
                    if (event.equals("end")) return;
                } else if (line.isEmpty()) {
                    event = "message";
                }
            }
        }
        throw new IOException("the server closed the run's event stream before the run ended");
    }
}
