package dev.candlebox.db;

/** The two databases Candlebox runs on: PostgreSQL in production, H2 as the embedded default. */
public enum Dialect {
    POSTGRESQL, H2;

    static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:postgresql:")) return POSTGRESQL;
        if (jdbcUrl.startsWith("jdbc:h2:")) return H2;
        throw new IllegalArgumentException("unsupported database URL (PostgreSQL or H2 only): " + jdbcUrl);
    }
}
