package dev.candlebox.sandbox.python;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Where a run's {@code print} goes: keeps the first {@code cap} bytes, streams them to a listener,
 * and reports the first byte beyond the cap (the run then fails with output_limit).
 */
final class CappedOutput extends OutputStream {
    private final long cap;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final Consumer<String> onText;
    private final Runnable onExceeded;
    private long total;
    private boolean exceeded;

    CappedOutput(long cap, Consumer<String> onText, Runnable onExceeded) {
        this.cap = cap;
        this.onText = onText;
        this.onExceeded = onExceeded;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        if (len <= 0) return;
        long room = cap - total;
        total += len;
        if (room > 0) {
            int n = (int) Math.min(room, len);
            kept.write(b, off, n);
            onText.accept(new String(b, off, n, StandardCharsets.UTF_8));
        }
        if (total > cap && !exceeded) {
            exceeded = true;
            onExceeded.run();
        }
    }

    synchronized boolean exceeded() {
        return exceeded;
    }

    synchronized String text() {
        return kept.toString(StandardCharsets.UTF_8);
    }
}
