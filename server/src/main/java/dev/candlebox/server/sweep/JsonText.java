package dev.candlebox.server.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.server.backtest.BacktestService;

import java.util.List;
import java.util.function.Consumer;

/** What the sweep and walk-forward services share: JSON text in the store, error objects, event delivery. */
final class JsonText {
    private final ObjectMapper json;

    JsonText(ObjectMapper json) {
        this.json = json;
    }

    /** {"type", "message"} as stored in an error column. */
    String error(String type, String message) {
        ObjectNode n = json.createObjectNode();
        n.put("type", type);
        n.put("message", message);
        return write(n);
    }

    String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode read(String s) {
        try {
            return s == null ? null : json.readTree(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hands an event to every subscriber; one that throws (its stream closed) is dropped. */
    static void publish(List<Consumer<BacktestService.Event>> subscribers, BacktestService.Event e) {
        for (Consumer<BacktestService.Event> c : subscribers) {
            try {
                c.accept(e);
            } catch (RuntimeException ex) {
                subscribers.remove(c);
            }
        }
    }
}
