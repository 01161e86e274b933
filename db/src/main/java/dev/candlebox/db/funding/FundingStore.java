package dev.candlebox.db.funding;

import dev.candlebox.db.Database;
import dev.candlebox.db.kline.Series;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Funding rates in table {@code funding_rates} (migration V3): one row per symbol and settlement time. Writes
 * are idempotent: a settlement already stored keeps its rate and interval (a source that disagrees is reported,
 * not written over), and only gains a mark price it did not have. Rates and mark prices are read back exactly,
 * without trailing zeros.
 */
public final class FundingStore {
    /** Decimal places the columns keep: {@code rate NUMERIC(20,12)}, {@code mark_price NUMERIC(20,8)}. */
    public static final int RATE_SCALE = 12;
    public static final int MARK_PRICE_SCALE = 8;

    private static final int BATCH = 1000;

    private final DataSource dataSource;

    public FundingStore(Database database) {
        this.dataSource = database.dataSource();
    }

    /** What an upsert did. {@code inserted + alreadyStored} is the number of distinct times offered. */
    public record UpsertResult(long inserted, long alreadyStored, long markPricesAdded, List<RateConflict> conflicts) {
        public UpsertResult {
            conflicts = List.copyOf(conflicts);
        }
    }

    /** A settlement stored with one rate and offered again with another; the stored one is kept. */
    public record RateConflict(long timeMs, BigDecimal stored, BigDecimal offered) {}

    /**
     * Stores {@code rows} of {@code symbol} in one transaction. A time already stored (or repeated in
     * {@code rows}: the first wins) is left as it is, except that a missing mark price is filled in.
     *
     * @throws IllegalArgumentException for an invalid symbol, or a rate with more than {@link #RATE_SCALE} decimals
     */
    public UpsertResult upsert(String symbol, List<FundingRate> rows) {
        String sym = checkSymbol(symbol);
        if (rows.isEmpty()) return new UpsertResult(0, 0, 0, List.of());
        Map<Long, FundingRate> offered = new java.util.LinkedHashMap<>();
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (FundingRate r : rows) {
            if (r.rate().stripTrailingZeros().scale() > RATE_SCALE) {
                throw new IllegalArgumentException("funding rate " + r.rate().toPlainString() + " has more than "
                        + RATE_SCALE + " decimals");
            }
            offered.putIfAbsent(r.timeMs(), r);
            min = Math.min(min, r.timeMs());
            max = Math.max(max, r.timeMs());
        }
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                Map<Long, FundingRate> stored = new HashMap<>();
                for (FundingRate s : read(c, sym, min, max)) stored.put(s.timeMs(), s);
                List<FundingRate> fresh = new ArrayList<>();
                List<FundingRate> marks = new ArrayList<>();
                List<RateConflict> conflicts = new ArrayList<>();
                for (FundingRate r : offered.values()) {
                    FundingRate s = stored.get(r.timeMs());
                    if (s == null) {
                        fresh.add(r);
                        continue;
                    }
                    if (s.rate().compareTo(r.rate()) != 0) conflicts.add(new RateConflict(r.timeMs(), s.rate(), exact(r.rate())));
                    if (s.markPrice() == null && r.markPrice() != null) marks.add(r);
                }
                long inserted = insert(c, sym, fresh);
                long marked = fillMarkPrices(c, sym, marks);
                c.commit();
                return new UpsertResult(inserted, offered.size() - inserted, marked, conflicts);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new FundingStoreException("writing funding rates of " + sym, e);
        }
    }

    /** The settlements of {@code symbol} with {@code fromMs <= time <= toMs}, ascending. */
    public List<FundingRate> between(String symbol, long fromMs, long toMs) {
        String sym = checkSymbol(symbol);
        try (Connection c = dataSource.getConnection()) {
            return read(c, sym, fromMs, toMs);
        } catch (SQLException e) {
            throw new FundingStoreException("reading funding rates of " + sym, e);
        }
    }

    /** The last settlement of {@code symbol} at or before {@code timeMs}: the rate in force then. */
    public Optional<FundingRate> lastAtOrBefore(String symbol, long timeMs) {
        String sym = checkSymbol(symbol);
        String sql = "SELECT funding_time, rate, interval_hours, mark_price FROM funding_rates "
                + "WHERE symbol = ? AND funding_time <= ? ORDER BY funding_time DESC LIMIT 1";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, sym);
            ps.setLong(2, timeMs);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                BigDecimal mark = rs.getBigDecimal(4);
                return Optional.of(new FundingRate(rs.getLong(1), exact(rs.getBigDecimal(2)), rs.getInt(3),
                        mark == null ? null : exact(mark)));
            }
        } catch (SQLException e) {
            throw new FundingStoreException("reading funding rates of " + sym, e);
        }
    }

    public long count(String symbol) {
        return single("SELECT COUNT(*) FROM funding_rates WHERE symbol = ?", symbol).orElse(0);
    }

    /** The first settlement time stored for {@code symbol}. */
    public OptionalLong firstTime(String symbol) {
        return single("SELECT MIN(funding_time) FROM funding_rates WHERE symbol = ?", symbol);
    }

    /** The last settlement time stored for {@code symbol}. */
    public OptionalLong lastTime(String symbol) {
        return single("SELECT MAX(funding_time) FROM funding_rates WHERE symbol = ?", symbol);
    }

    /** Symbols with at least one funding rate, sorted. */
    public List<String> symbols() {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT DISTINCT symbol FROM funding_rates ORDER BY symbol")) {
            while (rs.next()) out.add(rs.getString(1));
            return out;
        } catch (SQLException e) {
            throw new FundingStoreException("listing funding symbols", e);
        }
    }

    private static List<FundingRate> read(Connection c, String symbol, long from, long to) throws SQLException {
        String sql = "SELECT funding_time, rate, interval_hours, mark_price FROM funding_rates "
                + "WHERE symbol = ? AND funding_time >= ? AND funding_time <= ? ORDER BY funding_time";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, symbol);
            ps.setLong(2, from);
            ps.setLong(3, to);
            try (ResultSet rs = ps.executeQuery()) {
                List<FundingRate> out = new ArrayList<>();
                while (rs.next()) {
                    BigDecimal mark = rs.getBigDecimal(4);
                    out.add(new FundingRate(rs.getLong(1), exact(rs.getBigDecimal(2)), rs.getInt(3),
                            mark == null ? null : exact(mark)));
                }
                return out;
            }
        }
    }

    private static long insert(Connection c, String symbol, List<FundingRate> rows) throws SQLException {
        if (rows.isEmpty()) return 0;
        String sql = "INSERT INTO funding_rates (symbol, funding_time, rate, interval_hours, mark_price) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
        long inserted = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < rows.size(); i++) {
                FundingRate r = rows.get(i);
                ps.setString(1, symbol);
                ps.setLong(2, r.timeMs());
                ps.setBigDecimal(3, r.rate());
                ps.setInt(4, r.intervalHours());
                if (r.markPrice() == null) ps.setNull(5, Types.NUMERIC);
                else ps.setBigDecimal(5, markPrice(r.markPrice()));
                ps.addBatch();
                if ((i + 1) % BATCH == 0 || i == rows.size() - 1) {
                    for (int n : ps.executeBatch()) if (n > 0) inserted += n;
                }
            }
        }
        return inserted;
    }

    private static long fillMarkPrices(Connection c, String symbol, List<FundingRate> rows) throws SQLException {
        if (rows.isEmpty()) return 0;
        String sql = "UPDATE funding_rates SET mark_price = ? WHERE symbol = ? AND funding_time = ? AND mark_price IS NULL";
        long updated = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (FundingRate r : rows) {
                ps.setBigDecimal(1, markPrice(r.markPrice()));
                ps.setString(2, symbol);
                ps.setLong(3, r.timeMs());
                ps.addBatch();
            }
            for (int n : ps.executeBatch()) if (n > 0) updated += n;
        }
        return updated;
    }

    private OptionalLong single(String sql, String symbol) {
        String sym = checkSymbol(symbol);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, sym);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
            }
        } catch (SQLException e) {
            throw new FundingStoreException("reading funding rates of " + sym, e);
        }
    }

    /** Mark prices keep 8 decimals, like kline prices. */
    private static BigDecimal markPrice(BigDecimal v) {
        return v.setScale(Math.min(Math.max(v.scale(), 0), MARK_PRICE_SCALE), RoundingMode.HALF_EVEN);
    }

    /** The value without trailing zeros, never in exponent form for whole numbers (117000, not 1.17E+5). */
    static BigDecimal exact(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0, RoundingMode.UNNECESSARY) : s;
    }

    private static String checkSymbol(String symbol) {
        return Series.normalizeSymbol(symbol).orElseThrow(() -> new IllegalArgumentException(
                "invalid symbol '" + symbol + "': 2 to 32 letters and digits, like BTCUSDT"));
    }

    /** A database failure while reading or writing funding rates (not the caller's fault). */
    public static final class FundingStoreException extends RuntimeException {
        FundingStoreException(String what, SQLException cause) {
            super(what + ": " + cause.getMessage(), cause);
        }
    }
}
