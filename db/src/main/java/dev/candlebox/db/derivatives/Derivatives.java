package dev.candlebox.db.derivatives;

import dev.candlebox.db.Database;
import dev.candlebox.db.funding.FundingRate;
import dev.candlebox.db.funding.FundingStore;
import dev.candlebox.db.kline.Interval;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The derivatives data of a series, every kind together by time, as the API serves it: the three
 * {@link DerivativeStore}s and the symbol's funding rates ({@link FundingStore}, per symbol, not per interval).
 */
public final class Derivatives {
    private static final List<String> TABLES = List.of("open_interest", "long_short_ratio", "liquidations");

    private final DataSource dataSource;
    private final DerivativeStore<OpenInterest> openInterest;
    private final DerivativeStore<LongShortRatio> longShortRatios;
    private final DerivativeStore<Liquidations> liquidations;
    private final FundingStore funding;

    public Derivatives(Database database) {
        this.dataSource = database.dataSource();
        this.openInterest = DerivativeStore.openInterest(database);
        this.longShortRatios = DerivativeStore.longShortRatios(database);
        this.liquidations = DerivativeStore.liquidations(database);
        this.funding = new FundingStore(database);
    }

    /**
     * What is known at one open time: each kind's row or null, and the funding rate in force (the last settled at or
     * before the time; null before the first one stored).
     */
    public record Row(long timeMs, OpenInterest openInterest, LongShortRatio longShortRatio, Liquidations liquidations,
                      FundingRate funding) {}

    /**
     * The open times with {@code afterMs < open_time <= toMs} at which any kind has a row, ascending, at most
     * {@code limit}, each with what every kind and the funding series know at it.
     */
    public List<Row> page(String symbol, Interval interval, long afterMs, long toMs, int limit) {
        String sym = DerivativeStore.checkSymbol(symbol);
        List<Long> times = times(sym, interval, afterMs, toMs, limit);
        if (times.isEmpty()) return List.of();
        long first = times.getFirst(), last = times.getLast();
        Map<Long, OpenInterest> oi = byTime(openInterest.between(sym, interval, first, last));
        Map<Long, LongShortRatio> ls = byTime(longShortRatios.between(sym, interval, first, last));
        Map<Long, Liquidations> liq = byTime(liquidations.between(sym, interval, first, last));
        TreeMap<Long, FundingRate> settled = new TreeMap<>();
        funding.lastAtOrBefore(sym, first).ifPresent(f -> settled.put(f.timeMs(), f));
        for (FundingRate f : funding.between(sym, first, last)) settled.put(f.timeMs(), f);
        List<Row> out = new ArrayList<>(times.size());
        for (long t : times) {
            Map.Entry<Long, FundingRate> f = settled.floorEntry(t);
            out.add(new Row(t, oi.get(t), ls.get(t), liq.get(t), f == null ? null : f.getValue()));
        }
        return out;
    }

    /** Symbols with derivatives data of any kind, sorted. */
    public List<String> symbols() {
        return List.copyOf(new TreeSet<>(series().keySet()));
    }

    /** The intervals {@code symbol} has derivatives data at, shortest first. */
    public List<Interval> intervals(String symbol) {
        return series().getOrDefault(symbol, new TreeSet<>()).stream().toList();
    }

    public DerivativeStore<OpenInterest> openInterest() {
        return openInterest;
    }

    public DerivativeStore<LongShortRatio> longShortRatios() {
        return longShortRatios;
    }

    public DerivativeStore<Liquidations> liquidations() {
        return liquidations;
    }

    private Map<String, TreeSet<Interval>> series() {
        Map<String, TreeSet<Interval>> out = new HashMap<>();
        String sql = String.join(" UNION ", TABLES.stream().map(t -> "SELECT DISTINCT symbol, interval_code FROM " + t).toList());
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                String symbol = rs.getString(1);
                Interval.parse(rs.getString(2)).ifPresent(i -> out.computeIfAbsent(symbol, k -> new TreeSet<>()).add(i));
            }
            return out;
        } catch (SQLException e) {
            throw new DerivativeStore.DerivativeStoreException("listing derivatives series", e);
        }
    }

    /** The first {@code limit} open times in range over all kinds; each kind contributes at most {@code limit}. */
    private List<Long> times(String symbol, Interval interval, long afterMs, long toMs, int limit) {
        String one = "(SELECT open_time FROM %s WHERE symbol = ? AND interval_code = ? AND open_time > ? AND open_time <= ? "
                + "ORDER BY open_time LIMIT ?)";
        String sql = "SELECT open_time FROM (" + String.join(" UNION ", TABLES.stream().map(one::formatted).toList())
                + ") t ORDER BY open_time LIMIT ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int p = 1;
            for (int i = 0; i < TABLES.size(); i++) {
                ps.setString(p++, symbol);
                ps.setString(p++, interval.code());
                ps.setLong(p++, afterMs);
                ps.setLong(p++, toMs);
                ps.setInt(p++, limit);
            }
            ps.setInt(p, limit);
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getLong(1));
            }
            return out;
        } catch (SQLException e) {
            throw new DerivativeStore.DerivativeStoreException("reading derivatives of " + symbol + " " + interval.code(), e);
        }
    }

    private static <T extends Derivative> Map<Long, T> byTime(List<T> rows) {
        Map<Long, T> out = new HashMap<>(rows.size() * 2);
        for (T r : rows) out.put(r.timeMs(), r);
        return out;
    }
}
