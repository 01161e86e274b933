package dev.candlebox.server;

import java.util.Locale;
import java.util.Map;

/** Reads typed environment variables; a bad value fails start-up with a message naming the variable. */
public final class Env {
    private Env() {}

    public static int integer(Map<String, String> env, String name, int def, int min, int max) {
        return (int) longValue(env, name, def, min, max);
    }

    public static long longValue(Map<String, String> env, String name, long def, long min, long max) {
        String v = value(env, name);
        if (v == null) return def;
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + v + "' is not a whole number (allowed: " + min + ".." + max + ")");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(name + ": " + n + " is out of range (allowed: " + min + ".." + max + ")");
        }
        return n;
    }

    public static boolean bool(Map<String, String> env, String name, boolean def) {
        String v = value(env, name);
        if (v == null) return def;
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(name + ": '" + v + "' is not a boolean (use true or false)");
        };
    }

    /** The variable's value without surrounding blanks; null when unset or blank. */
    public static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }
}
