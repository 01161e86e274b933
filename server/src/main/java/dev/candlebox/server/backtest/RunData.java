package dev.candlebox.server.backtest;

import dev.candlebox.sandbox.engine.EquityCurve;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The compact stored form of a run's equity curve: gzip of four primitive columns (a 500k-point curve is a
 * few MB in one value, not 500k JSON objects), and of its trades as JSON text.
 */
final class RunData {
    private static final int EQUITY_FORMAT = 1;

    private RunData() {}

    static byte[] encodeEquity(EquityCurve c) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(c.size() * 12 + 64);
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes, 1 << 16))) {
            out.writeInt(EQUITY_FORMAT);
            out.writeInt(c.size());
            for (long t : c.timestamp()) out.writeLong(t);
            for (double v : c.equity()) out.writeDouble(v);
            for (double v : c.balance()) out.writeDouble(v);
            for (double v : c.position()) out.writeDouble(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static EquityCurve decodeEquity(byte[] data) {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(new ByteArrayInputStream(data), 1 << 16))) {
            int format = in.readInt();
            if (format != EQUITY_FORMAT) throw new IllegalStateException("unknown equity format " + format);
            int n = in.readInt();
            long[] t = new long[n];
            double[] e = new double[n], b = new double[n], p = new double[n];
            for (int i = 0; i < n; i++) t[i] = in.readLong();
            for (int i = 0; i < n; i++) e[i] = in.readDouble();
            for (int i = 0; i < n; i++) b[i] = in.readDouble();
            for (int i = 0; i < n; i++) p[i] = in.readDouble();
            return new EquityCurve(t, e, b, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length / 4 + 64);
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] gunzip(byte[] data) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
