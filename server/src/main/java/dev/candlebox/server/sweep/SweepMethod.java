package dev.candlebox.server.sweep;

import java.util.Optional;

/** How a sweep chooses its trials' parameters. */
public enum SweepMethod {
    /** Every point of the grid, in order (the last parameter varies fastest). */
    GRID("grid"),
    /** Independent uniform draws (log-uniform for log parameters). */
    RANDOM("random"),
    /** Tree-structured Parzen estimator, after random start-up trials. */
    BAYES("bayes");

    public final String wire;

    SweepMethod(String wire) {
        this.wire = wire;
    }

    public static Optional<SweepMethod> parse(String s) {
        for (SweepMethod m : values()) if (m.wire.equals(s)) return Optional.of(m);
        return Optional.empty();
    }
}
