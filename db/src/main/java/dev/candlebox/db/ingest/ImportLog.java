package dev.candlebox.db.ingest;

import dev.candlebox.db.Database;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The record of every import, in table {@code candlebox_import}, each with its report as JSON. */
public final class ImportLog {
    private static final int SOURCE_MAX = 1000; // the column's width

    private final DataSource dataSource;

    public ImportLog(Database database) {
        this.dataSource = database.dataSource();
    }

    private ImportLog() {
        this.dataSource = null;
    }

    /** A log that keeps nothing, for callers without a {@link Database} at hand. */
    public static ImportLog none() {
        return new ImportLog();
    }

    /** One row of {@code candlebox_import}. */
    public record Entry(long id, String seriesTable, String source, Instant startedAt, Instant finishedAt,
                        long rowsRead, long rowsAdded, ImportReport report) {}

    public void record(ImportReport report) {
        insert(report.table(), report.source(), report.startedAt(), report.finishedAt(), report.rowsRead(),
                report.rowsAdded(), report.toJson());
    }

    /** A funding-rate import, under {@code series_table} = {@code funding_rates/SYMBOL}. */
    public void record(FundingReport report) {
        insert(report.table() + "/" + report.symbol(), report.source(), report.startedAt(), report.finishedAt(),
                report.rowsRead(), report.rowsAdded(), report.toJson());
    }

    /** A derivatives import, under {@code series_table} = {@code TABLE[+TABLE]/SYMBOL/INTERVAL}. */
    public void record(DerivativesReport report) {
        String tables = report.tables().isEmpty() ? "derivatives" : String.join("+", report.tables());
        insert(tables + "/" + report.symbol() + "/" + report.interval(), report.source(), report.startedAt(),
                report.finishedAt(), report.rowsRead(), report.rowsAdded(), report.toJson());
    }

    private void insert(String table, String source, long startedAt, long finishedAt, long rowsRead, long rowsAdded,
                        String json) {
        if (dataSource == null) return;
        String sql = "INSERT INTO candlebox_import (series_table, source, started_at, finished_at, rows_read, rows_added, report) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, table);
            ps.setString(2, source.length() <= SOURCE_MAX ? source : source.substring(0, SOURCE_MAX - 3) + "...");
            ps.setObject(3, OffsetDateTime.ofInstant(Instant.ofEpochMilli(startedAt), ZoneOffset.UTC));
            ps.setObject(4, OffsetDateTime.ofInstant(Instant.ofEpochMilli(finishedAt), ZoneOffset.UTC));
            ps.setLong(5, rowsRead);
            ps.setLong(6, rowsAdded);
            ps.setString(7, json);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new ImportException("recording the import of " + KlineTime.abbreviate(source) + " in candlebox_import: "
                    + e.getMessage(), e);
        }
    }

    /** The latest imports into {@code seriesTable}, newest first. */
    public List<Entry> recent(String seriesTable, int limit) {
        if (dataSource == null) return List.of();
        String sql = "SELECT id, series_table, source, started_at, finished_at, rows_read, rows_added, report "
                + "FROM candlebox_import WHERE series_table = ? ORDER BY id DESC LIMIT ?";
        List<Entry> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, seriesTable);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getLong(1), rs.getString(2), rs.getString(3),
                            rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getObject(5, OffsetDateTime.class).toInstant(),
                            rs.getLong(6), rs.getLong(7), ImportReport.fromJson(rs.getString(8))));
                }
            }
        } catch (SQLException e) {
            throw new ImportException("reading candlebox_import: " + e.getMessage(), e);
        }
        return out;
    }
}
