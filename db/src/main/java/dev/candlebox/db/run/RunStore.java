package dev.candlebox.db.run;

import dev.candlebox.db.Database;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Backtest runs in {@code candlebox_run}, their trades and equity curve in {@code candlebox_run_data}. */
public final class RunStore {
    private static final String COLUMNS = "id, seq, client, status, progress, symbol, interval_code, request, created_at, "
            + "started_at, finished_at, result, metrics, error, logs";

    private final DataSource dataSource;

    public RunStore(Database database) {
        this.dataSource = database.dataSource();
    }

    /** Stores a new queued run and returns it with its sequence number (the listing order). */
    public StoredRun create(String id, String owner, String client, String symbol, String interval, String requestJson,
                            Instant createdAt) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long seq;
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM candlebox_run")) {
                    rs.next();
                    seq = rs.getLong(1);
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO candlebox_run (id, seq, client, owner, status, progress, "
                        + "symbol, interval_code, request, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
                    ps.setString(1, id);
                    ps.setLong(2, seq);
                    ps.setString(3, client);
                    ps.setString(4, owner);
                    ps.setString(5, RunStatus.QUEUED.code());
                    ps.setDouble(6, 0);
                    ps.setString(7, symbol);
                    ps.setString(8, interval);
                    ps.setString(9, requestJson);
                    ps.setTimestamp(10, Timestamp.from(createdAt));
                    ps.executeUpdate();
                }
                c.commit();
                return new StoredRun(id, seq, client, RunStatus.QUEUED, 0, symbol, interval, requestJson, createdAt,
                        null, null, null, null, null, null);
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            // two instances taking the same seq: the unique index refuses one; it retries once
            if (isUniqueViolation(e)) return create(id, owner, client, symbol, interval, requestJson, createdAt);
            throw new RunStoreException("creating run " + id, e);
        }
    }

    private static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /** Marks a queued run running; false if it was no longer queued (cancelled meanwhile). */
    public boolean markRunning(String id, Instant startedAt) {
        return update("UPDATE candlebox_run SET status = 'running', started_at = ? WHERE id = ? AND status = 'queued'",
                ps -> {
                    ps.setTimestamp(1, Timestamp.from(startedAt));
                    ps.setString(2, id);
                }) == 1;
    }

    public void updateProgress(String id, double progress) {
        update("UPDATE candlebox_run SET progress = ? WHERE id = ? AND status = 'running'", ps -> {
            ps.setDouble(1, progress);
            ps.setString(2, id);
        });
    }

    /**
     * Ends a run that is not final yet, with its outcome and data, in one transaction. Returns false (and
     * writes nothing) if the run had already ended, e.g. cancelled.
     */
    public boolean finish(String id, RunStatus status, Instant finishedAt, String resultJson, String metricsJson,
                          String errorJson, String logs, byte[] trades, byte[] equity) {
        return finish(id, status, finishedAt, resultJson, metricsJson, errorJson, logs, trades, equity, java.util.Map.of());
    }

    /** As above, with more named data of the run (e.g. its orders and funding payments). */
    public boolean finish(String id, RunStatus status, Instant finishedAt, String resultJson, String metricsJson,
                          String errorJson, String logs, byte[] trades, byte[] equity, java.util.Map<String, byte[]> more) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int n;
                try (PreparedStatement ps = c.prepareStatement("UPDATE candlebox_run SET status = ?, progress = ?, finished_at = ?, "
                        + "result = ?, metrics = ?, error = ?, logs = ? WHERE id = ? AND status IN ('queued', 'running')")) {
                    ps.setString(1, status.code());
                    ps.setDouble(2, status == RunStatus.SUCCEEDED ? 1.0 : 0.0);
                    ps.setTimestamp(3, Timestamp.from(finishedAt));
                    ps.setString(4, resultJson);
                    ps.setString(5, metricsJson);
                    ps.setString(6, errorJson);
                    ps.setString(7, logs);
                    ps.setString(8, id);
                    n = ps.executeUpdate();
                }
                if (n == 1) {
                    if (trades != null) putData(c, id, "trades", trades);
                    if (equity != null) putData(c, id, "equity", equity);
                    for (var e : more.entrySet()) putData(c, id, e.getKey(), e.getValue());
                }
                c.commit();
                return n == 1;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new RunStoreException("finishing run " + id, e);
        }
    }

    private static void putData(Connection c, String id, String kind, byte[] data) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO candlebox_run_data (run_id, kind, data) VALUES (?,?,?)")) {
            ps.setString(1, id);
            ps.setString(2, kind);
            ps.setBytes(3, data);
            ps.executeUpdate();
        }
    }

    public Optional<byte[]> data(String id, String kind) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT data FROM candlebox_run_data WHERE run_id = ? AND kind = ?")) {
            ps.setString(1, id);
            ps.setString(2, kind);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new RunStoreException("reading " + kind + " of run " + id, e);
        }
    }

    public Optional<StoredRun> get(String id) {
        List<StoredRun> runs = query("SELECT " + COLUMNS + " FROM candlebox_run WHERE id = ?", ps -> ps.setString(1, id));
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.getFirst());
    }

    /** Runs newest first; {@code beforeSeq} (exclusive) pages back, null for the newest. */
    public List<StoredRun> list(int limit, Long beforeSeq) {
        return query("SELECT " + COLUMNS + " FROM candlebox_run WHERE seq < ? ORDER BY seq DESC LIMIT ?", ps -> {
            ps.setLong(1, beforeSeq == null ? Long.MAX_VALUE : beforeSeq);
            ps.setInt(2, limit);
        });
    }

    /** An instance's queued and running runs, oldest first: what it finds unfinished when it restarts. */
    public List<StoredRun> unfinished(String owner) {
        return query("SELECT " + COLUMNS + " FROM candlebox_run WHERE owner = ? AND status IN ('queued', 'running') ORDER BY seq",
                ps -> ps.setString(1, owner));
    }

    /** A run's name and tags ({@link RunLabel#NONE} when it has none or does not exist). */
    public RunLabel label(String id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT name, tags FROM candlebox_run WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new RunLabel(rs.getString(1), rs.getString(2)) : RunLabel.NONE;
            }
        } catch (SQLException e) {
            throw new RunStoreException("reading the name of run " + id, e);
        }
    }

    /** Sets a run's name and tags (either may be null); false if there is no such run. */
    public boolean label(String id, RunLabel label) {
        return update("UPDATE candlebox_run SET name = ?, tags = ? WHERE id = ?", ps -> {
            ps.setString(1, label.name());
            ps.setString(2, label.tagsJson());
            ps.setString(3, id);
        }) == 1;
    }

    /**
     * Deletes a run that has ended, with its data; false (and nothing deleted) if the run is queued or
     * running or does not exist.
     */
    public boolean delete(String id) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int n;
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM candlebox_run_data WHERE run_id = ? AND EXISTS "
                        + "(SELECT 1 FROM candlebox_run WHERE id = ? AND status NOT IN ('queued', 'running'))")) {
                    ps.setString(1, id);
                    ps.setString(2, id);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM candlebox_run WHERE id = ? AND status NOT IN ('queued', 'running')")) {
                    ps.setString(1, id);
                    n = ps.executeUpdate();
                }
                c.commit();
                return n == 1;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new RunStoreException("deleting run " + id, e);
        }
    }

    /** How many runs a client has queued or running right now. */
    /**
     * How many jobs a client has queued or running right now: its runs outside sweeps, plus its running sweeps
     * (a sweep counts as one job, however many of its trials are in flight).
     */
    public int activeCount(String client) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT (SELECT COUNT(*) FROM candlebox_run r WHERE r.client = ? "
                     + "AND r.status IN ('queued', 'running') AND NOT EXISTS (SELECT 1 FROM candlebox_sweep_trial t WHERE t.run_id = r.id)) "
                     + "+ (SELECT COUNT(*) FROM candlebox_sweep s WHERE s.client = ? AND s.status = 'running')")) {
            ps.setString(1, client);
            ps.setString(2, client);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new RunStoreException("counting runs of " + client, e);
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private int update(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new RunStoreException("updating a run", e);
        }
    }

    private List<StoredRun> query(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<StoredRun> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new StoredRun(rs.getString(1), rs.getLong(2), rs.getString(3), RunStatus.of(rs.getString(4)),
                            rs.getDouble(5), rs.getString(6), rs.getString(7), rs.getString(8), instant(rs, 9),
                            instant(rs, 10), instant(rs, 11), rs.getString(12), rs.getString(13), rs.getString(14),
                            rs.getString(15)));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new RunStoreException("reading runs", e);
        }
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        Timestamp t = rs.getTimestamp(i);
        return t == null ? null : t.toInstant();
    }

    /** A database failure while keeping runs. */
    public static final class RunStoreException extends RuntimeException {
        RunStoreException(String what, SQLException cause) {
            super(what + ": " + cause.getMessage(), cause);
        }
    }
}
