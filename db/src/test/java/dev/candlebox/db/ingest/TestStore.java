package dev.candlebox.db.ingest;

import dev.candlebox.db.Database;
import dev.candlebox.db.TestDatabases;
import dev.candlebox.db.kline.KlineColumns;
import dev.candlebox.db.kline.KlineStore;
import dev.candlebox.db.kline.Series;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A real, empty database for one test (a fresh PostgreSQL schema or H2 file), with its store and import log. */
public final class TestStore implements AutoCloseable {
    public enum Kind { POSTGRESQL, H2 }

    public final Kind kind;
    public final String url;
    public final Database database;
    public final KlineStore store;
    public final ImportLog log;

    private TestStore(Kind kind, String url) {
        this.kind = kind;
        this.url = url;
        this.database = Database.open(url, 4);
        this.store = new KlineStore(database);
        this.log = new ImportLog(database);
    }

    public static TestStore fresh(Kind kind) {
        return new TestStore(kind, kind == Kind.POSTGRESQL ? TestDatabases.freshPostgres() : TestDatabases.freshH2());
    }

    /** Every stored kline of {@code series}, ascending. */
    public KlineColumns all(Series series) {
        return store.range(series, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** The rows of candlebox_import as (series_table, rows_read, rows_added, report), oldest first. */
    public List<Object[]> importLog() {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT series_table, rows_read, rows_added, report, source FROM candlebox_import ORDER BY id")) {
            List<Object[]> out = new ArrayList<>();
            while (rs.next()) out.add(new Object[]{rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5)});
            return out;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        database.close();
        if (kind == Kind.POSTGRESQL) TestDatabases.dropPostgresSchema(url);
    }
}
