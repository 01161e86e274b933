package dev.candlebox.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** A pooled connection to PostgreSQL or H2 with Candlebox's schema migrated. */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final String redactedUrl;
    private volatile String identity;

    private Database(HikariDataSource dataSource, Dialect dialect, String redactedUrl) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.redactedUrl = redactedUrl;
    }

    /**
     * Opens a pool on {@code url} (any form {@link DatabaseUrl} accepts) and applies the Flyway migrations.
     * An existing database of the reference system is adopted as it is: its tables are left untouched.
     */
    public static Database open(String url, int maxPoolSize) {
        String jdbc = DatabaseUrl.toJdbc(url);
        Dialect dialect = Dialect.of(jdbc);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbc);
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(Math.min(2, maxPoolSize));
        config.setPoolName("candlebox-db");
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(10_000);
        HikariDataSource ds = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/migration")
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        String redacted = DatabaseUrl.redact(jdbc);
        log.info("database: {} ({})", redacted, dialect);
        return new Database(ds, dialect, redacted);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Dialect dialect() {
        return dialect;
    }

    public String describe() {
        return redactedUrl;
    }

    /**
     * This database's id: a random UUID stored in {@code candlebox_identity} the first time any Candlebox
     * process asks (whichever process writes first wins; the others read its row). Two processes see the same
     * id exactly when they use the same database, whatever URL each was given.
     */
    public String identity() {
        String id = identity;
        if (id != null) return id;
        try (Connection c = dataSource.getConnection()) {
            id = readIdentity(c);
            if (id == null) {
                try (java.sql.PreparedStatement p = c.prepareStatement(
                        "INSERT INTO candlebox_identity (kind, id) VALUES ('database', ?)")) {
                    p.setString(1, java.util.UUID.randomUUID().toString());
                    p.executeUpdate();
                } catch (SQLException raced) {
                    // another process wrote it between our read and our insert: read theirs
                }
                id = readIdentity(c);
                if (id == null) throw new IllegalStateException("candlebox_identity has no row after an insert");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading this database's identity: " + e.getMessage(), e);
        }
        identity = id;
        return id;
    }

    private static String readIdentity(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT id FROM candlebox_identity WHERE kind = 'database'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** True when a connection answers a trivial query within two seconds. */
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(2);
            s.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
