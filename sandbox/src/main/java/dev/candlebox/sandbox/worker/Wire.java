package dev.candlebox.sandbox.worker;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.BacktestResult;
import dev.candlebox.sandbox.engine.EquityCurve;
import dev.candlebox.sandbox.engine.Fill;
import dev.candlebox.sandbox.engine.KlineSeries;
import dev.candlebox.sandbox.engine.RunError;
import dev.candlebox.sandbox.engine.Side;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pipe protocol between the pool and a worker process: length-prefixed binary messages over the
 * worker's stdin (requests) and stdout (events). Columns go as raw primitives, so a million klines
 * cross in one write.
 */
final class Wire {
    private Wire() { }

    // pool -> worker
    static final byte RUN = 1;
    static final byte CANCEL = 2;
    static final byte SHUTDOWN = 3;
    // worker -> pool
    static final byte READY = 10;
    static final byte PROGRESS = 11;
    static final byte FILL = 12;
    static final byte LOG = 13;
    static final byte SUCCEEDED = 14;
    static final byte FAILED = 15;
    static final byte CANCELLED = 16;
    /** The worker is about to halt itself: a run could not be stopped. */
    static final byte DYING = 17;
    /** The run began executing (its context is ready): the pool's deadline counts from here. */
    static final byte STARTED = 18;
    /** The worker finished its warm-up (sent once, between or during runs; no run id). */
    static final byte WARMED = 19;

    private static final ObjectMapper JSON = new ObjectMapper();

    static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    static void writeDecimal(DataOutputStream out, BigDecimal d) throws IOException {
        writeString(out, d.toString());
    }

    static BigDecimal readDecimal(DataInputStream in) throws IOException {
        return new BigDecimal(readString(in));
    }

    static void writeDoubles(DataOutputStream out, double[] a) throws IOException {
        out.writeInt(a.length);
        for (double d : a) out.writeDouble(d);
    }

    static double[] readDoubles(DataInputStream in) throws IOException {
        double[] a = new double[in.readInt()];
        for (int i = 0; i < a.length; i++) a[i] = in.readDouble();
        return a;
    }

    static void writeLongs(DataOutputStream out, long[] a) throws IOException {
        out.writeInt(a.length);
        for (long d : a) out.writeLong(d);
    }

    static long[] readLongs(DataInputStream in) throws IOException {
        long[] a = new long[in.readInt()];
        for (int i = 0; i < a.length; i++) a[i] = in.readLong();
        return a;
    }

    static void writeInts(DataOutputStream out, int[] a) throws IOException {
        out.writeInt(a.length);
        for (int d : a) out.writeInt(d);
    }

    static int[] readInts(DataInputStream in) throws IOException {
        int[] a = new int[in.readInt()];
        for (int i = 0; i < a.length; i++) a[i] = in.readInt();
        return a;
    }

    /** The limits a worker enforces itself (the pool adds its own deadline on top). */
    record WorkerLimits(Duration wallTime, long maxAllocatedBytes, double maxHeapFraction, long maxOutputBytes,
                        int maxFills, Duration killGrace) {
        static WorkerLimits of(WorkerPoolConfig.Limits l) {
            return new WorkerLimits(l.wallTime(), l.maxAllocatedBytes(), l.maxHeapFraction(), l.maxOutputBytes(),
                    l.maxFills(), l.killGrace());
        }
    }

    static void writeRun(DataOutputStream out, long runId, BacktestRequest r, WorkerLimits l) throws IOException {
        out.writeByte(RUN);
        out.writeLong(runId);
        writeString(out, r.code());
        writeString(out, JSON.writeValueAsString(r.strategyParams()));
        writeDecimal(out, r.initialBalance());
        writeDecimal(out, r.feeRate());
        writeString(out, r.baseAsset());
        writeString(out, r.quoteAsset());
        out.writeLong(l.wallTime().toMillis());
        out.writeLong(l.maxAllocatedBytes());
        out.writeDouble(l.maxHeapFraction());
        out.writeLong(l.maxOutputBytes());
        out.writeInt(l.maxFills());
        out.writeLong(l.killGrace().toMillis());
        KlineSeries k = r.klines();
        writeLongs(out, k.openTime());
        writeDoubles(out, k.open());
        writeDoubles(out, k.high());
        writeDoubles(out, k.low());
        writeDoubles(out, k.close());
        writeDoubles(out, k.volume());
        writeLongs(out, k.closeTime());
        writeDoubles(out, k.quoteVolume());
        writeInts(out, k.tradesCount());
        writeDoubles(out, k.takerBuyBaseVolume());
        writeDoubles(out, k.takerBuyQuoteVolume());
        out.flush();
    }

    record RunMessage(long runId, BacktestRequest request, WorkerLimits limits) { }

    /** Reads the body of a RUN message (the type byte already read). */
    static RunMessage readRun(DataInputStream in) throws IOException {
        long runId = in.readLong();
        String code = readString(in);
        Map<String, Object> params = JSON.readValue(readString(in), new TypeReference<Map<String, Object>>() { });
        BigDecimal initial = readDecimal(in);
        BigDecimal fee = readDecimal(in);
        String base = readString(in);
        String quote = readString(in);
        WorkerLimits limits = new WorkerLimits(Duration.ofMillis(in.readLong()), in.readLong(), in.readDouble(),
                in.readLong(), in.readInt(), Duration.ofMillis(in.readLong()));
        KlineSeries k = new KlineSeries(readLongs(in), readDoubles(in), readDoubles(in), readDoubles(in),
                readDoubles(in), readDoubles(in), readLongs(in), readDoubles(in), readInts(in), readDoubles(in),
                readDoubles(in));
        return new RunMessage(runId, new BacktestRequest(code, k, params, initial, fee, base, quote), limits);
    }

    static void writeFillBody(DataOutputStream out, Fill f) throws IOException {
        out.writeInt(f.klineIndex());
        out.writeLong(f.timestamp());
        out.writeByte(f.type() == Side.BUY ? 0 : 1);
        writeDecimal(out, f.price());
        writeDecimal(out, f.amount());
        writeDecimal(out, f.balance());
        writeDecimal(out, f.fee());
    }

    static Fill readFillBody(DataInputStream in) throws IOException {
        return new Fill(in.readInt(), in.readLong(), in.readByte() == 0 ? Side.BUY : Side.SELL, readDecimal(in),
                readDecimal(in), readDecimal(in), readDecimal(in));
    }

    static void writeResultBody(DataOutputStream out, BacktestResult r) throws IOException {
        writeDecimal(out, r.initialBalance());
        writeDecimal(out, r.finalBalance());
        writeDecimal(out, r.profit());
        writeDecimal(out, r.profitRate());
        writeDecimal(out, r.maxDrawdown());
        out.writeInt(r.totalTrades());
        writeDecimal(out, r.winRate());
        writeDecimal(out, r.baseAsset());
        writeDecimal(out, r.quoteAsset());
        writeDecimal(out, r.baseFee());
        writeDecimal(out, r.quoteFee());
        out.writeInt(r.trades().size());
        for (Fill f : r.trades()) writeFillBody(out, f);
        EquityCurve c = r.equityCurve();
        writeLongs(out, c.timestamp());
        writeDoubles(out, c.equity());
        writeDoubles(out, c.balance());
        writeDoubles(out, c.position());
    }

    static BacktestResult readResultBody(DataInputStream in) throws IOException {
        BigDecimal initial = readDecimal(in);
        BigDecimal fin = readDecimal(in);
        BigDecimal profit = readDecimal(in);
        BigDecimal rate = readDecimal(in);
        BigDecimal dd = readDecimal(in);
        int total = in.readInt();
        BigDecimal win = readDecimal(in);
        BigDecimal base = readDecimal(in);
        BigDecimal quote = readDecimal(in);
        BigDecimal baseFee = readDecimal(in);
        BigDecimal quoteFee = readDecimal(in);
        int n = in.readInt();
        List<Fill> fills = new ArrayList<>(n);
        for (int i = 0; i < n; i++) fills.add(readFillBody(in));
        EquityCurve curve = new EquityCurve(readLongs(in), readDoubles(in), readDoubles(in), readDoubles(in));
        return new BacktestResult(initial, fin, profit, rate, dd, total, win, base, quote, baseFee, quoteFee, fills,
                curve);
    }

    static void writeError(DataOutputStream out, RunError e) throws IOException {
        writeString(out, e.type());
        writeString(out, e.message());
        out.writeInt(e.line() == null ? -1 : e.line());
        writeString(out, e.traceback());
    }

    static RunError readError(DataInputStream in) throws IOException {
        String type = readString(in);
        String message = readString(in);
        int line = in.readInt();
        String tb = readString(in);
        return new RunError(type, message, line < 0 ? null : line, tb);
    }
}
