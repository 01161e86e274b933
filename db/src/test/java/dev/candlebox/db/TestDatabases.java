package dev.candlebox.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Real databases for tests: a fresh PostgreSQL schema (on the server named by the {@code candlebox.test.pg}
 * property) or a fresh H2 file. A missing PostgreSQL fails the test; it never skips.
 */
public final class TestDatabases {
    private TestDatabases() {}

    public static String postgresBaseUrl() {
        return System.getProperty("candlebox.test.pg", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    }

    /** A new, empty schema; the returned JDBC URL makes it the default. Dropped by {@link #dropPostgresSchema}. */
    public static String freshPostgres() {
        String schema = "cbt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(postgresBaseUrl()); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is required for this test and is not reachable at "
                    + postgresBaseUrl() + " (start it: pg_ctlcluster ... main start): " + e.getMessage(), e);
        }
        String base = postgresBaseUrl();
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public static void dropPostgresSchema(String url) {
        int i = url.indexOf("currentSchema=");
        if (i < 0) return;
        String schema = url.substring(i + "currentSchema=".length()).split("&")[0];
        try (Connection c = DriverManager.getConnection(postgresBaseUrl()); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new AssertionError("dropping test schema " + schema, e);
        }
    }

    /** A new embedded H2 database in a temporary folder, as the server's default uses. */
    public static String freshH2() {
        try {
            return DatabaseUrl.embedded(Files.createTempDirectory("candlebox-h2"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The repository's {@code testdata/} folder: real market data, with its provenance in its README. */
    public static Path testData() {
        Path p = Path.of(System.getProperty("candlebox.testdata", "../testdata"));
        if (!Files.isDirectory(p)) throw new AssertionError("test data folder not found: " + p.toAbsolutePath());
        return p;
    }
}
