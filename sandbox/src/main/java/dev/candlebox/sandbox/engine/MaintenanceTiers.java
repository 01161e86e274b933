package dev.candlebox.sandbox.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A symbol's maintenance-margin tiers: for a position's notional, the maintenance margin rate (MMR) and
 * maintenance amount (cum) of Binance's liquidation formula. Shipped tables live in
 * {@code tiers/SYMBOL.csv} beside this class, each with its source and version; a symbol without one
 * gets {@link #DEFAULT} (MMR 0.4 %, cum 0, whatever the notional).
 *
 * @param version the table's version line ("default" for the fallback)
 */
public record MaintenanceTiers(String symbol, String version, List<Tier> tiers) {

    /** {@code floor < notional <= cap} ({@code cap} null: no upper bound). */
    public record Tier(BigDecimal floor, BigDecimal cap, int maxLeverage, BigDecimal mmr, BigDecimal cum) { }

    public static final MaintenanceTiers DEFAULT = new MaintenanceTiers("*", "default",
            List.of(new Tier(BigDecimal.ZERO, null, 125, new BigDecimal("0.004"), BigDecimal.ZERO)));

    public MaintenanceTiers {
        tiers = List.copyOf(tiers);
        if (tiers.isEmpty()) throw new IllegalArgumentException("a tier table needs at least one tier");
    }

    /** The tier of a notional; beyond the last cap, the last tier. */
    public Tier tierFor(BigDecimal notional) {
        for (Tier t : tiers) {
            if (t.cap() == null || notional.compareTo(t.cap()) <= 0) return t;
        }
        return tiers.getLast();
    }

    /** The shipped table of {@code symbol}, or {@link #DEFAULT}. */
    public static MaintenanceTiers forSymbol(String symbol) {
        if (symbol == null || !symbol.matches("[A-Z0-9]{1,30}")) return DEFAULT;
        String name = "tiers/" + symbol.toUpperCase(Locale.ROOT) + ".csv";
        try (InputStream in = MaintenanceTiers.class.getResourceAsStream(name)) {
            if (in == null) return DEFAULT;
            return parse(symbol, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MaintenanceTiers parse(String symbol, List<String> lines) {
        String version = "unversioned";
        List<Tier> tiers = new ArrayList<>();
        for (String line : lines) {
            String l = line.strip();
            if (l.startsWith("# version:")) version = l.substring("# version:".length()).strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            String[] f = l.split(",");
            tiers.add(new Tier(new BigDecimal(f[0]), new BigDecimal(f[1]), Integer.parseInt(f[2]),
                    new BigDecimal(f[3]), new BigDecimal(f[4])));
        }
        return new MaintenanceTiers(symbol, version, tiers);
    }
}
