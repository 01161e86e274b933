package dev.candlebox.server.backtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.db.run.RunLabel;
import dev.candlebox.server.http.BadRequest;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run's name and tags: the default name from its code, the checks of {@code PATCH /api/v1/backtests/{id}},
 * and the two fields of a run's view.
 */
final class RunLabels {
    static final int MAX_NAME = 100;
    static final int MAX_TAGS = 10;
    static final int MAX_TAG = 30;
    private static final Pattern MODULE_DOC = Pattern.compile("^\\s*(?:#[^\\n]*\\n\\s*)*(?:\"\"\"|''')\\s*([^\\n]*?)\\s*(?:\\n|\"\"\"|''')");
    private static final Pattern CLASS = Pattern.compile("^class\\s+(\\w+)[^\\n]*:\\s*\\n(?:\\s*(?:\"\"\"|''')\\s*([^\\n]*?)\\s*(?:\\n|\"\"\"|'''))?",
            Pattern.MULTILINE);
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private RunLabels() {}

    /** The name of a run nobody named: its module docstring's first line, else its class's, else the class name. */
    static String defaultName(String code) {
        if (code == null) return "Strategy";
        Matcher m = MODULE_DOC.matcher(code);
        if (m.find() && !m.group(1).isBlank()) return cut(m.group(1));
        Matcher c = CLASS.matcher(code);
        if (c.find()) return cut(c.group(2) != null && !c.group(2).isBlank() ? c.group(2) : c.group(1));
        return "Strategy";
    }

    private static String cut(String s) {
        s = s.strip();
        return s.length() <= MAX_NAME ? s : s.substring(0, MAX_NAME - 1) + "…";
    }

    /** Adds {@code name}, {@code nameIsDefault} and {@code tags} to a run's view. */
    static void put(ObjectNode view, RunLabel label, String code, ObjectMapper json) {
        view.put("name", label.name() != null ? label.name() : defaultName(code));
        view.put("nameIsDefault", label.name() == null);
        ArrayNode tags = view.putArray("tags");
        if (label.tagsJson() != null) {
            try {
                json.readTree(label.tagsJson()).forEach(tags::add);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored tags are not JSON: " + label.tagsJson(), e);
            }
        }
    }

    /**
     * The label a PATCH body sets: {@code name} (a string, or null for the default name) and {@code tags} (an
     * array of strings); a field left out keeps its value. Throws BadRequest naming the field.
     */
    static RunLabel patch(JsonNode body, RunLabel current, ObjectMapper json) {
        if (body == null || !body.isObject()) throw BadRequest.field("body", "the body must be a JSON object", "{\"name\": ..., \"tags\": [...]}");
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("name") && !f.equals("tags")) throw BadRequest.field(f, "unknown field '" + f + "'", "name, tags");
        }
        String name = current.name();
        if (body.has("name")) {
            JsonNode n = body.get("name");
            if (n.isNull()) name = null;
            else if (!n.isTextual()) throw BadRequest.field("name", "name must be a string or null", nameRule());
            else {
                name = n.asText().strip();
                if (name.isEmpty() || name.length() > MAX_NAME || CONTROL.matcher(name).find()) {
                    throw BadRequest.field("name", "name '" + abbreviate(name) + "' is not allowed", nameRule());
                }
            }
        }
        String tagsJson = current.tagsJson();
        if (body.has("tags")) {
            JsonNode t = body.get("tags");
            if (!t.isArray()) throw BadRequest.field("tags", "tags must be an array of strings", tagRule());
            if (t.size() > MAX_TAGS) throw BadRequest.field("tags", t.size() + " tags are too many", tagRule());
            Set<String> tags = new LinkedHashSet<>();
            for (JsonNode e : t) {
                String tag = e.isTextual() ? e.asText().strip() : null;
                if (tag == null || tag.isEmpty() || tag.length() > MAX_TAG || CONTROL.matcher(tag).find() || tag.contains(",")) {
                    throw BadRequest.field("tags", "tag " + abbreviate(String.valueOf(e)) + " is not allowed", tagRule());
                }
                tags.add(tag);
            }
            ArrayNode a = json.createArrayNode();
            tags.forEach(a::add);
            tagsJson = tags.isEmpty() ? null : a.toString();
        }
        return new RunLabel(name, tagsJson);
    }

    private static String nameRule() {
        return "1.." + MAX_NAME + " characters without control characters, or null for the default name";
    }

    private static String tagRule() {
        return "at most " + MAX_TAGS + " tags of 1.." + MAX_TAG + " characters, without commas or control characters";
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
