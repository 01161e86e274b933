package dev.candlebox.server;

import java.util.Map;

/** Reads typed environment variables; a bad value fails start-up with a message naming the variable. */
public final class Env {
    private Env() {}

    public static int integer(Map<String, String> env, String name, int def, int min, int max) {
        return (int) longValue(env, name, def, min, max);
    }

    public static long longValue(Map<String, String> env, String name, long def, long min, long max) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return def;
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + v + " is not an integer");
        }
        if (n < min || n > max) throw new IllegalArgumentException(name + "=" + v + " is out of range " + min + ".." + max);
        return n;
    }

    public static boolean bool(Map<String, String> env, String name, boolean def) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return def;
        return switch (v.trim().toLowerCase()) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(name + "=" + v + " is not a boolean (true/false)");
        };
    }
}
