package dev.candlebox.db.run;

/**
 * What the trader calls a run: a name (null: the run's default name, which the server derives from its
 * code) and tags as a JSON array of strings (null: none). The store keeps them; the server checks them.
 */
public record RunLabel(String name, String tagsJson) {
    public static final RunLabel NONE = new RunLabel(null, null);
}
