package dev.candlebox.db.run;

import java.util.Locale;

/** Where a backtest run is in its life. */
public enum RunStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** As the API writes it: {@code queued}, {@code running}... */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus of(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
