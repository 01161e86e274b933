package dev.candlebox.server.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A client error, answered with a JSON body that names the query parameter or body field at fault and what
 * is allowed: HTTP 400, or another 4xx (413 for a body over a size limit).
 */
public final class BadRequest extends RuntimeException {
    private final int status;
    private final String key;
    private final String name;
    private final String allowed;

    private BadRequest(int status, String key, String name, String message, String allowed) {
        super(message);
        this.status = status;
        this.key = key;
        this.name = name;
        this.allowed = allowed;
    }

    /** A bad query or path parameter. */
    public BadRequest(String parameter, String message, String allowed) {
        this(400, "parameter", parameter, message, allowed);
    }

    /** A bad field of a JSON body. */
    public static BadRequest field(String field, String message, String allowed) {
        return new BadRequest(400, "field", field, message, allowed);
    }

    /** A field or body over its size limit: 413. */
    public static BadRequest tooLarge(String field, String message, String allowed) {
        return new BadRequest(413, "field", field, message, allowed);
    }

    public int status() {
        return status;
    }

    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", getMessage());
        if (name != null) body.put(key, name);
        if (allowed != null) body.put("allowed", allowed);
        return body;
    }
}
