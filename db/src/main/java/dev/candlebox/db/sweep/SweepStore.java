package dev.candlebox.db.sweep;

import dev.candlebox.db.Database;
import dev.candlebox.db.run.RunStatus;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sweeps and walk-forward validations in {@code candlebox_sweep}, and the link of each to its trial runs in
 * {@code candlebox_sweep_trial}. The JSON columns are written and read by the server.
 */
public final class SweepStore {
    private static final String COLUMNS = "id, client, kind, status, request, created_at, finished_at, summary, error";

    /** A sweep as stored; status is running, succeeded, failed or cancelled. */
    public record StoredSweep(String id, String client, String kind, String status, String requestJson,
                              Instant createdAt, Instant finishedAt, String summaryJson, String errorJson) {
        public boolean isFinal() {
            return !"running".equals(status);
        }
    }

    /** A trial with its run's status and metrics (null until the run ends). */
    public record Trial(int trial, String runId, String paramsJson, RunStatus status, String metricsJson,
                        String errorJson) {}

    private final DataSource dataSource;

    public SweepStore(Database database) {
        this.dataSource = database.dataSource();
    }

    public StoredSweep create(String id, String client, String owner, String kind, String requestJson, Instant createdAt) {
        update("INSERT INTO candlebox_sweep (id, client, owner, kind, status, request, created_at) VALUES (?,?,?,?,'running',?,?)", ps -> {
            ps.setString(1, id);
            ps.setString(2, client);
            ps.setString(3, owner);
            ps.setString(4, kind);
            ps.setString(5, requestJson);
            ps.setTimestamp(6, Timestamp.from(createdAt));
        });
        return new StoredSweep(id, client, kind, "running", requestJson, createdAt, null, null, null);
    }

    public void addTrial(String sweepId, int trial, String runId, String paramsJson) {
        update("INSERT INTO candlebox_sweep_trial (sweep_id, trial, run_id, params) VALUES (?,?,?,?)", ps -> {
            ps.setString(1, sweepId);
            ps.setInt(2, trial);
            ps.setString(3, runId);
            ps.setString(4, paramsJson);
        });
    }

    /** Saves the summary of a running sweep or walk-forward (its windows so far); false if it has ended. */
    public boolean saveSummary(String id, String summaryJson) {
        return update("UPDATE candlebox_sweep SET summary = ? WHERE id = ? AND status = 'running'", ps -> {
            ps.setString(1, summaryJson);
            ps.setString(2, id);
        }) == 1;
    }

    /** Ends a running sweep; false if it had already ended. */
    public boolean finish(String id, String status, Instant finishedAt, String summaryJson, String errorJson) {
        return update("UPDATE candlebox_sweep SET status = ?, finished_at = ?, summary = ?, error = ? WHERE id = ? AND status = 'running'", ps -> {
            ps.setString(1, status);
            ps.setTimestamp(2, Timestamp.from(finishedAt));
            ps.setString(3, summaryJson);
            ps.setString(4, errorJson);
            ps.setString(5, id);
        }) == 1;
    }

    public Optional<StoredSweep> get(String id) {
        List<StoredSweep> l = sweeps("SELECT " + COLUMNS + " FROM candlebox_sweep WHERE id = ?", ps -> ps.setString(1, id));
        return l.isEmpty() ? Optional.empty() : Optional.of(l.getFirst());
    }

    /** An instance's sweeps still marked running: what it finds when it restarts. */
    public List<StoredSweep> running(String owner) {
        return sweeps("SELECT " + COLUMNS + " FROM candlebox_sweep WHERE owner = ? AND status = 'running'", ps -> ps.setString(1, owner));
    }

    /** The trials of a sweep in trial order, with their runs' status and metrics. */
    public List<Trial> trials(String sweepId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT t.trial, t.run_id, t.params, r.status, r.metrics, r.error "
                     + "FROM candlebox_sweep_trial t JOIN candlebox_run r ON r.id = t.run_id WHERE t.sweep_id = ? ORDER BY t.trial")) {
            ps.setString(1, sweepId);
            try (ResultSet rs = ps.executeQuery()) {
                List<Trial> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Trial(rs.getInt(1), rs.getString(2), rs.getString(3), RunStatus.of(rs.getString(4)),
                            rs.getString(5), rs.getString(6)));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new SweepStoreException("reading the trials of sweep " + sweepId, e);
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
            throw new SweepStoreException("updating sweeps", e);
        }
    }

    private List<StoredSweep> sweeps(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<StoredSweep> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new StoredSweep(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), instant(rs, 6), instant(rs, 7), rs.getString(8), rs.getString(9)));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new SweepStoreException("reading sweeps", e);
        }
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        Timestamp t = rs.getTimestamp(i);
        return t == null ? null : t.toInstant();
    }

    /** A database failure while keeping sweeps. */
    public static final class SweepStoreException extends RuntimeException {
        SweepStoreException(String what, SQLException cause) {
            super(what + ": " + cause.getMessage(), cause);
        }
    }
}
