package dev.candlebox.db.derivatives;

import dev.candlebox.db.Database;
import dev.candlebox.db.kline.Interval;
import dev.candlebox.db.kline.Series;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BiFunction;

/**
 * One kind of derivatives data in its table (migration V4): {@link #openInterest}, {@link #longShortRatios},
 * {@link #liquidations}; one row per symbol, interval and open time. Writes are idempotent, as for funding
 * rates: a time already stored keeps its values (a source that disagrees is reported, not written over) and only
 * gains values it did not have. Values are read back exactly, without trailing zeros.
 */
public final class DerivativeStore<T extends Derivative> {
    /** Decimal places every value column keeps ({@code NUMERIC(36,12)}). */
    public static final int SCALE = 12;

    private static final int BATCH = 1000;

    private final DataSource dataSource;
    private final String table;
    private final List<String> columns;
    private final BiFunction<Long, List<BigDecimal>, T> row;

    private DerivativeStore(Database database, String table, List<String> columns, BiFunction<Long, List<BigDecimal>, T> row) {
        this.dataSource = database.dataSource();
        this.table = table;
        this.columns = columns;
        this.row = row;
    }

    public static DerivativeStore<OpenInterest> openInterest(Database database) {
        return new DerivativeStore<>(database, "open_interest", List.of("open_interest", "open_interest_value"),
                (t, v) -> new OpenInterest(t, v.get(0), v.get(1)));
    }

    public static DerivativeStore<LongShortRatio> longShortRatios(Database database) {
        return new DerivativeStore<>(database, "long_short_ratio", List.of("long_short_ratio", "long_account", "short_account"),
                (t, v) -> new LongShortRatio(t, v.get(0), v.get(1), v.get(2)));
    }

    public static DerivativeStore<Liquidations> liquidations(Database database) {
        return new DerivativeStore<>(database, "liquidations", List.of("liquidations_long", "liquidations_short",
                "liquidations_long_base", "liquidations_short_base"),
                (t, v) -> new Liquidations(t, v.get(0), v.get(1), v.get(2), v.get(3)));
    }

    /** The table: {@code open_interest}, {@code long_short_ratio} or {@code liquidations}. */
    public String table() {
        return table;
    }

    /** What an upsert did. {@code inserted + alreadyStored} is the number of distinct times offered. */
    public record UpsertResult(long inserted, long alreadyStored, long rowsCompleted, List<Conflict> conflicts) {
        public UpsertResult {
            conflicts = List.copyOf(conflicts);
        }
    }

    /** A value stored with one number and offered again with another; the stored one is kept. */
    public record Conflict(long timeMs, String column, BigDecimal stored, BigDecimal offered) {}

    /**
     * Stores {@code rows} of a series in one transaction. A time already stored (or repeated in {@code rows}: the
     * first wins) keeps its values, except that values it lacks are filled in ({@code rowsCompleted}).
     *
     * @throws IllegalArgumentException for an invalid symbol, or a value with more than {@link #SCALE} decimals
     */
    public UpsertResult upsert(String symbol, Interval interval, List<T> rows) {
        String sym = checkSymbol(symbol);
        if (rows.isEmpty()) return new UpsertResult(0, 0, 0, List.of());
        Map<Long, T> offered = new LinkedHashMap<>();
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (T r : rows) {
            for (BigDecimal v : r.values()) {
                if (v != null && v.stripTrailingZeros().scale() > SCALE) {
                    throw new IllegalArgumentException(table + " value " + v.toPlainString() + " has more than " + SCALE + " decimals");
                }
            }
            offered.putIfAbsent(r.timeMs(), r);
            min = Math.min(min, r.timeMs());
            max = Math.max(max, r.timeMs());
        }
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                Map<Long, T> stored = new HashMap<>();
                for (T s : read(c, sym, interval, min, max)) stored.put(s.timeMs(), s);
                List<T> fresh = new ArrayList<>();
                List<T> completing = new ArrayList<>();
                List<Conflict> conflicts = new ArrayList<>();
                for (T r : offered.values()) {
                    T s = stored.get(r.timeMs());
                    if (s == null) {
                        fresh.add(r);
                        continue;
                    }
                    boolean gains = false;
                    for (int i = 0; i < columns.size(); i++) {
                        BigDecimal was = s.values().get(i), now = r.values().get(i);
                        if (now == null) continue;
                        if (was == null) gains = true;
                        else if (was.compareTo(now) != 0) conflicts.add(new Conflict(r.timeMs(), columns.get(i), was, exact(now)));
                    }
                    if (gains) completing.add(r);
                }
                long inserted = insert(c, sym, interval, fresh);
                long completed = complete(c, sym, interval, completing);
                c.commit();
                return new UpsertResult(inserted, offered.size() - inserted, completed, conflicts);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new DerivativeStoreException("writing " + table + " of " + sym + " " + interval.code(), e);
        }
    }

    /** The rows of a series with {@code fromMs <= open_time <= toMs}, ascending. */
    public List<T> between(String symbol, Interval interval, long fromMs, long toMs) {
        String sym = checkSymbol(symbol);
        try (Connection c = dataSource.getConnection()) {
            return read(c, sym, interval, fromMs, toMs);
        } catch (SQLException e) {
            throw new DerivativeStoreException("reading " + table + " of " + sym + " " + interval.code(), e);
        }
    }

    public long count(String symbol, Interval interval) {
        return single("SELECT COUNT(*) FROM " + table + " WHERE symbol = ? AND interval_code = ?", symbol, interval).orElse(0);
    }

    public OptionalLong firstTime(String symbol, Interval interval) {
        return single("SELECT MIN(open_time) FROM " + table + " WHERE symbol = ? AND interval_code = ?", symbol, interval);
    }

    public OptionalLong lastTime(String symbol, Interval interval) {
        return single("SELECT MAX(open_time) FROM " + table + " WHERE symbol = ? AND interval_code = ?", symbol, interval);
    }

    private List<T> read(Connection c, String symbol, Interval interval, long from, long to) throws SQLException {
        String sql = "SELECT open_time, " + String.join(", ", columns) + " FROM " + table
                + " WHERE symbol = ? AND interval_code = ? AND open_time >= ? AND open_time <= ? ORDER BY open_time";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, symbol);
            ps.setString(2, interval.code());
            ps.setLong(3, from);
            ps.setLong(4, to);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    List<BigDecimal> values = new ArrayList<>(columns.size());
                    for (int i = 0; i < columns.size(); i++) {
                        BigDecimal v = rs.getBigDecimal(2 + i);
                        values.add(v == null ? null : exact(v));
                    }
                    out.add(row.apply(rs.getLong(1), values));
                }
                return out;
            }
        }
    }

    private long insert(Connection c, String symbol, Interval interval, List<T> rows) throws SQLException {
        if (rows.isEmpty()) return 0;
        String sql = "INSERT INTO " + table + " (symbol, interval_code, open_time, " + String.join(", ", columns)
                + ") VALUES (?, ?, ?" + ", ?".repeat(columns.size()) + ") ON CONFLICT DO NOTHING";
        long inserted = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < rows.size(); i++) {
                T r = rows.get(i);
                ps.setString(1, symbol);
                ps.setString(2, interval.code());
                ps.setLong(3, r.timeMs());
                setValues(ps, 4, r.values());
                ps.addBatch();
                if ((i + 1) % BATCH == 0 || i == rows.size() - 1) {
                    for (int n : ps.executeBatch()) if (n > 0) inserted += n;
                }
            }
        }
        return inserted;
    }

    /** Fills the columns a stored row lacks; a value it has is never written over. */
    private long complete(Connection c, String symbol, Interval interval, List<T> rows) throws SQLException {
        if (rows.isEmpty()) return 0;
        String sql = "UPDATE " + table + " SET " + String.join(", ", columns.stream().map(col -> col + " = COALESCE(" + col + ", ?)").toList())
                + " WHERE symbol = ? AND interval_code = ? AND open_time = ?";
        long updated = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (T r : rows) {
                setValues(ps, 1, r.values());
                ps.setString(columns.size() + 1, symbol);
                ps.setString(columns.size() + 2, interval.code());
                ps.setLong(columns.size() + 3, r.timeMs());
                ps.addBatch();
            }
            for (int n : ps.executeBatch()) if (n > 0) updated += n;
        }
        return updated;
    }

    private static void setValues(PreparedStatement ps, int first, List<BigDecimal> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) ps.setNull(first + i, Types.NUMERIC);
            else ps.setBigDecimal(first + i, values.get(i));
        }
    }

    private OptionalLong single(String sql, String symbol, Interval interval) {
        String sym = checkSymbol(symbol);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, sym);
            ps.setString(2, interval.code());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
            }
        } catch (SQLException e) {
            throw new DerivativeStoreException("reading " + table + " of " + sym, e);
        }
    }

    /** The value without trailing zeros, never in exponent form for whole numbers (80000, not 8E+4). */
    static BigDecimal exact(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0, RoundingMode.UNNECESSARY) : s;
    }

    static String checkSymbol(String symbol) {
        return Series.normalizeSymbol(symbol).orElseThrow(() -> new IllegalArgumentException(
                "invalid symbol '" + symbol + "': 2 to 32 letters and digits, like BTCUSDT"));
    }

    /** A database failure while reading or writing derivatives data (not the caller's fault). */
    public static final class DerivativeStoreException extends RuntimeException {
        DerivativeStoreException(String what, SQLException cause) {
            super(what + ": " + cause.getMessage(), cause);
        }
    }
}
