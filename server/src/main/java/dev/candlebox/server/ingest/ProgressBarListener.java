package dev.candlebox.server.ingest;

import dev.candlebox.db.ingest.ImportListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Draws a download's progress on the terminal (me.tongfei:progressbar, on stderr so that stdout keeps only the
 * report); without a terminal it prints one line per retry instead.
 */
final class ProgressBarListener implements ImportListener, AutoCloseable {
    private final boolean draw;
    private final PrintWriter err;
    private final String unit;
    private ProgressBar bar;

    ProgressBarListener(boolean draw, PrintWriter err) {
        this(draw, err, " klines");
    }

    /** {@code unit}: what the bar counts, e.g. {@code " funding times"}. */
    ProgressBarListener(boolean draw, PrintWriter err, String unit) {
        this.draw = draw;
        this.err = err;
        this.unit = unit;
    }

    @Override
    public void started(String what, long totalBars) {
        if (!draw) return;
        bar = new ProgressBarBuilder()
                .setTaskName(what)
                .setInitialMax(Math.max(1, totalBars))
                .setUnit(unit, 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .showSpeed()
                .build();
    }

    @Override
    public void progressed(long barsDone, long rowsStored) {
        if (bar != null) {
            bar.setExtraMessage("");
            bar.stepTo(barsDone);
        }
    }

    @Override
    public void retrying(int attempt, int maxAttempts, Duration wait, String reason) {
        String msg = String.format(Locale.ROOT, "attempt %d of %d failed (%s); retrying in %.1f s", attempt, maxAttempts,
                reason, wait.toMillis() / 1000.0);
        if (bar != null) {
            // the bar has one line: a short note, the full reason comes with the failure if it persists
            String why = reason.length() > 40 ? reason.substring(0, 37) + "..." : reason;
            bar.setExtraMessage(String.format(Locale.ROOT, " retry %d/%d in %.1f s: %s", attempt, maxAttempts,
                    wait.toMillis() / 1000.0, why));
        } else {
            err.println(msg);
            err.flush();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.setExtraMessage("");
            bar.close();
            bar = null;
        }
    }
}
