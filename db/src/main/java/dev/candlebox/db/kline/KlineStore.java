package dev.candlebox.db.kline;

import dev.candlebox.db.Database;
import dev.candlebox.db.Dialect;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Reads and writes klines in the reference system's layout, one table per series. Reads stream rows into
 * {@link KlineColumns}; writes are batched (COPY on PostgreSQL) and idempotent: a row whose open time is
 * already stored is counted as a duplicate and left as it is.
 */
public final class KlineStore {
    private static final String COLUMNS = "open_time, open_price, high_price, low_price, close_price, base_volume, "
            + "close_time, quote_volume, trades_count, taker_buy_base_volume, taker_buy_quote_volume";
    /** Numeric columns are read as float8: the driver then skips parsing decimal text. */
    private static final String SELECT = "SELECT open_time, CAST(open_price AS DOUBLE PRECISION), "
            + "CAST(high_price AS DOUBLE PRECISION), CAST(low_price AS DOUBLE PRECISION), "
            + "CAST(close_price AS DOUBLE PRECISION), CAST(base_volume AS DOUBLE PRECISION), close_time, "
            + "CAST(quote_volume AS DOUBLE PRECISION), trades_count, CAST(taker_buy_base_volume AS DOUBLE PRECISION), "
            + "CAST(taker_buy_quote_volume AS DOUBLE PRECISION) FROM ";
    private static final int SCAN_FETCH = 5_000;

    private final DataSource dataSource;
    private final Dialect dialect;
    /** Tables known to exist; a table is never dropped while the server runs. */
    private final Set<String> knownTables = ConcurrentHashMap.newKeySet();

    public KlineStore(Database database) {
        this.dataSource = database.dataSource();
        this.dialect = database.dialect();
    }

    /** Every series with a table in the layout, whether or not it holds rows. */
    public List<Series> seriesWithTables() {
        List<Series> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            try (ResultSet rs = meta.getTables(null, c.getSchema(), "t_kline_%", new String[]{"TABLE"})) {
                while (rs.next()) Series.fromTableName(rs.getString("TABLE_NAME")).ifPresent(out::add);
            }
        } catch (SQLException e) {
            throw new StoreException("listing kline tables", e);
        }
        return out;
    }

    /** The series that hold at least one kline. */
    public List<Series> seriesWithData() {
        List<Series> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (Series series : seriesWithTables()) {
                try (ResultSet rs = s.executeQuery("SELECT 1 FROM " + series.tableName() + " LIMIT 1")) {
                    if (rs.next()) out.add(series);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("listing series", e);
        }
        return out;
    }

    /** Symbols that hold data at any interval, sorted. */
    public List<String> symbols() {
        Set<String> symbols = new TreeSet<>();
        for (Series s : seriesWithData()) symbols.add(s.symbol());
        return List.copyOf(symbols);
    }

    public boolean exists(Series series) {
        String table = series.tableName();
        if (knownTables.contains(table)) return true;
        try (Connection c = dataSource.getConnection();
             ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), table, new String[]{"TABLE"})) {
            while (rs.next()) {
                // '_' is a wildcard in the metadata pattern: compare the name itself
                if (table.equalsIgnoreCase(rs.getString("TABLE_NAME"))) {
                    knownTables.add(table);
                    return true;
                }
            }
            return false;
        } catch (SQLException e) {
            throw new StoreException("looking up " + table, e);
        }
    }

    /** Whether the series' table exists and holds at least one kline. */
    public boolean hasRows(Series series) {
        return exists(series) && page(series, Long.MIN_VALUE, Long.MAX_VALUE, 1).size() > 0;
    }

    /** Creates the series' table in the reference layout if it is missing. */
    public void ensureTable(Series series) {
        if (knownTables.contains(series.tableName())) return;
        String ddl = "CREATE TABLE IF NOT EXISTS " + series.tableName() + " ("
                + "open_time BIGINT PRIMARY KEY, "
                + "open_price NUMERIC(20,8) NOT NULL, high_price NUMERIC(20,8) NOT NULL, "
                + "low_price NUMERIC(20,8) NOT NULL, close_price NUMERIC(20,8) NOT NULL, "
                + "base_volume NUMERIC(20,8) NOT NULL, close_time BIGINT NOT NULL, "
                + "quote_volume NUMERIC(20,8), trades_count INTEGER, "
                + "taker_buy_base_volume NUMERIC(20,8), taker_buy_quote_volume NUMERIC(20,8), reserved VARCHAR)";
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(ddl);
            knownTables.add(series.tableName());
        } catch (SQLException e) {
            throw new StoreException("creating " + series.tableName(), e);
        }
    }

    /** Rows with {@code afterExclusive < open_time <= untilInclusive}, ascending, at most {@code limit}. */
    public KlineColumns page(Series series, long afterExclusive, long untilInclusive, int limit) {
        String sql = SELECT + series.tableName() + " WHERE open_time > ? AND open_time <= ? ORDER BY open_time LIMIT ?";
        return query(sql, limit, afterExclusive, untilInclusive, limit);
    }

    /** The last kline opening strictly before {@code time}. */
    public Optional<KlineColumns> previous(Series series, long time) {
        String sql = SELECT + series.tableName() + " WHERE open_time < ? ORDER BY open_time DESC LIMIT 1";
        KlineColumns k = query(sql, 1, time);
        return k.size() == 0 ? Optional.empty() : Optional.of(k);
    }

    /** The first kline opening strictly after {@code time}. */
    public Optional<KlineColumns> next(Series series, long time) {
        String sql = SELECT + series.tableName() + " WHERE open_time > ? ORDER BY open_time LIMIT 1";
        KlineColumns k = query(sql, 1, time);
        return k.size() == 0 ? Optional.empty() : Optional.of(k);
    }

    /** Every row with {@code from <= open_time <= to}, as one set of columns (for a backtest's input). */
    public KlineColumns range(Series series, long from, long to) {
        KlineColumns all = new KlineColumns(1024);
        scan(series, from, to, SCAN_FETCH, chunk -> {
            for (int i = 0; i < chunk.size(); i++) all.addRow(chunk, i);
        });
        return all;
    }

    /**
     * Streams rows with {@code from <= open_time <= to} in chunks of at most {@code chunkSize}, holding one
     * chunk in memory at a time, however wide the range.
     */
    public void scan(Series series, long from, long to, int chunkSize, Consumer<KlineColumns> sink) {
        String sql = SELECT + series.tableName() + " WHERE open_time >= ? AND open_time <= ? ORDER BY open_time";
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(chunkSize);
                ps.setLong(1, from);
                ps.setLong(2, to);
                try (ResultSet rs = ps.executeQuery()) {
                    KlineColumns chunk = new KlineColumns(chunkSize);
                    while (rs.next()) {
                        addRow(chunk, rs);
                        if (chunk.size() == chunkSize) {
                            sink.accept(chunk);
                            chunk = new KlineColumns(chunkSize);
                        }
                    }
                    if (chunk.size() > 0) sink.accept(chunk);
                }
            } finally {
                c.commit();
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StoreException("reading " + series.tableName(), e);
        }
    }

    public long count(Series series) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + series.tableName())) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StoreException("counting " + series.tableName(), e);
        }
    }

    /** Open time of the last stored kline: where a resumed import continues. */
    public OptionalLong lastOpenTime(Series series) {
        if (!exists(series)) return OptionalLong.empty();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MAX(open_time) FROM " + series.tableName())) {
            rs.next();
            long v = rs.getLong(1);
            return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
        } catch (SQLException e) {
            throw new StoreException("reading " + series.tableName(), e);
        }
    }

    /** The result of an upsert: rows stored now, and rows whose open time was already there. */
    public record UpsertResult(long inserted, long duplicates) {}

    /**
     * Stores {@code rows}, creating the table if needed. Rows already present (same open time) are left
     * unchanged and counted as duplicates, so importing the same file twice changes nothing.
     */
    public UpsertResult upsert(Series series, KlineColumns rows) {
        if (rows.size() == 0) return new UpsertResult(0, 0);
        ensureTable(series);
        try (Connection c = dataSource.getConnection()) {
            long inserted = dialect == Dialect.POSTGRESQL ? copyUpsert(c, series, rows) : batchUpsert(c, series, rows);
            return new UpsertResult(inserted, rows.size() - inserted);
        } catch (SQLException e) {
            throw new StoreException("writing " + series.tableName(), e);
        }
    }

    /** PostgreSQL: COPY into a temporary table, then one INSERT ... ON CONFLICT DO NOTHING. */
    private long copyUpsert(Connection c, Series series, KlineColumns rows) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE kline_import (LIKE " + series.tableName() + " INCLUDING DEFAULTS) ON COMMIT DROP");
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY kline_import (" + COLUMNS + ") FROM STDIN WITH (FORMAT text)");
            try {
                StringBuilder line = new StringBuilder(256);
                for (int i = 0; i < rows.size(); i++) {
                    line.setLength(0);
                    line.append(rows.openTime(i)).append('\t');
                    num(line, rows.open(i)).append('\t');
                    num(line, rows.high(i)).append('\t');
                    num(line, rows.low(i)).append('\t');
                    num(line, rows.close(i)).append('\t');
                    num(line, rows.volume(i)).append('\t');
                    line.append(rows.closeTime(i)).append('\t');
                    num(line, rows.quoteVolume(i)).append('\t');
                    if (rows.tradesCount(i) == KlineColumns.MISSING_COUNT) line.append("\\N");
                    else line.append(rows.tradesCount(i));
                    line.append('\t');
                    num(line, rows.takerBuyBaseVolume(i)).append('\t');
                    num(line, rows.takerBuyQuoteVolume(i)).append('\n');
                    byte[] bytes = line.toString().getBytes(StandardCharsets.US_ASCII);
                    copy.writeToCopy(bytes, 0, bytes.length);
                }
                copy.endCopy();
            } finally {
                if (copy.isActive()) copy.cancelCopy();
            }
            long inserted = s.executeUpdate("INSERT INTO " + series.tableName() + " (" + COLUMNS + ") SELECT DISTINCT ON (open_time) "
                    + COLUMNS + " FROM kline_import ORDER BY open_time ON CONFLICT (open_time) DO NOTHING");
            c.commit();
            return inserted;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static StringBuilder num(StringBuilder sb, double v) {
        if (Double.isNaN(v)) return sb.append("\\N");
        return sb.append(java.math.BigDecimal.valueOf(v).toPlainString());
    }

    /** H2: a batch of INSERT ... ON CONFLICT DO NOTHING (PostgreSQL mode), counting the rows it stored. */
    private long batchUpsert(Connection c, Series series, KlineColumns rows) throws SQLException {
        String sql = "INSERT INTO " + series.tableName() + " (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING";
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        long inserted = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < rows.size(); i++) {
                ps.setLong(1, rows.openTime(i));
                setNum(ps, 2, rows.open(i));
                setNum(ps, 3, rows.high(i));
                setNum(ps, 4, rows.low(i));
                setNum(ps, 5, rows.close(i));
                setNum(ps, 6, rows.volume(i));
                ps.setLong(7, rows.closeTime(i));
                setNum(ps, 8, rows.quoteVolume(i));
                if (rows.tradesCount(i) == KlineColumns.MISSING_COUNT) ps.setNull(9, java.sql.Types.INTEGER);
                else ps.setInt(9, rows.tradesCount(i));
                setNum(ps, 10, rows.takerBuyBaseVolume(i));
                setNum(ps, 11, rows.takerBuyQuoteVolume(i));
                ps.addBatch();
                if ((i + 1) % 1000 == 0 || i == rows.size() - 1) {
                    for (int n : ps.executeBatch()) if (n > 0) inserted += n;
                }
            }
            c.commit();
            return inserted;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static void setNum(PreparedStatement ps, int index, double v) throws SQLException {
        if (Double.isNaN(v)) ps.setNull(index, java.sql.Types.NUMERIC);
        else ps.setBigDecimal(index, java.math.BigDecimal.valueOf(v));
    }

    private KlineColumns query(String sql, int capacity, long... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setLong(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                KlineColumns out = new KlineColumns(capacity);
                while (rs.next()) addRow(out, rs);
                return out;
            }
        } catch (SQLException e) {
            throw new StoreException("reading klines", e);
        }
    }

    private static void addRow(KlineColumns out, ResultSet rs) throws SQLException {
        double quote = rs.getDouble(8);
        if (rs.wasNull()) quote = Double.NaN;
        int trades = rs.getInt(9);
        if (rs.wasNull()) trades = KlineColumns.MISSING_COUNT;
        double takerBase = rs.getDouble(10);
        if (rs.wasNull()) takerBase = Double.NaN;
        double takerQuote = rs.getDouble(11);
        if (rs.wasNull()) takerQuote = Double.NaN;
        out.add(rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5), rs.getDouble(6),
                rs.getLong(7), quote, trades, takerBase, takerQuote);
    }

    /** A database failure while reading or writing klines (not the caller's fault). */
    public static final class StoreException extends RuntimeException {
        StoreException(String what, SQLException cause) {
            super(what + ": " + cause.getMessage(), cause);
        }
    }
}
