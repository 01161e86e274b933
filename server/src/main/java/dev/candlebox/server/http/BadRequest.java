package dev.candlebox.server.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** A client error: answered as HTTP 400 with a JSON body naming the parameter and what is allowed. */
public final class BadRequest extends RuntimeException {
    private final String parameter;
    private final String allowed;

    public BadRequest(String parameter, String message, String allowed) {
        super(message);
        this.parameter = parameter;
        this.allowed = allowed;
    }

    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", getMessage());
        if (parameter != null) body.put("parameter", parameter);
        if (allowed != null) body.put("allowed", allowed);
        return body;
    }
}
