package dev.candlebox.server.http;

import io.javalin.http.sse.SseClient;

import java.util.function.BiConsumer;
import java.util.function.Function;

/** Server-Sent Events of a run or a sweep: every event as it comes, closed after {@code end}. */
public final class EventStreams {
    private EventStreams() {}

    /**
     * Follows a subject's events. {@code subscribe} registers a listener of (event name, JSON data) and returns
     * the action that unsubscribes it.
     */
    public static void follow(SseClient client, Function<BiConsumer<String, String>, Runnable> subscribe) {
        client.keepAlive();
        Runnable[] unsubscribe = {() -> {}};
        unsubscribe[0] = subscribe.apply((name, json) -> {
            client.sendEvent(name, json);
            if (name.equals("end")) {
                unsubscribe[0].run();
                client.close();
            }
        });
        client.onClose(() -> unsubscribe[0].run());
    }

    /** One {@code error} event saying what was not found, then the end of the stream. */
    public static void notFound(SseClient client, String detail) {
        client.sendEvent("error", "{\"detail\":\"" + detail.replace("\"", "") + "\"}");
        client.close();
    }
}
