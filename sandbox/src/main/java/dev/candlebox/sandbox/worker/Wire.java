package dev.candlebox.sandbox.worker;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candlebox.sandbox.engine.BacktestRequest;
import dev.candlebox.sandbox.engine.BacktestResult;
import dev.candlebox.sandbox.engine.DerivativeColumns;
import dev.candlebox.sandbox.engine.OtherSeries;
import dev.candlebox.sandbox.engine.EquityCurve;
import dev.candlebox.sandbox.engine.Fill;
import dev.candlebox.sandbox.engine.FundingSeries;
import dev.candlebox.sandbox.engine.Order;
import dev.candlebox.sandbox.engine.Trading;
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
    /**
     * Which context a run got (before STARTED): run id, a byte ({@link RunHandle.Context} ordinal) and, when a
     * kept context was thrown away, what had changed (else null).
     */
    static final byte CONTEXT = 20;

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
                        int maxFills, Duration killGrace, int maxOpenOrders) {
        static WorkerLimits of(WorkerPoolConfig.Limits l) {
            return new WorkerLimits(l.wallTime(), l.maxAllocatedBytes(), l.maxHeapFraction(), l.maxOutputBytes(),
                    l.maxFills(), l.killGrace(), l.maxOpenOrders());
        }
    }

    /** @param jobKey the run's job (runs that may share a context), or null */
    static void writeRun(DataOutputStream out, long runId, String jobKey, BacktestRequest r, WorkerLimits l) throws IOException {
        out.writeByte(RUN);
        out.writeLong(runId);
        writeString(out, jobKey);
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
        out.writeInt(l.maxOpenOrders());
        writeKlines(out, r.klines());
        writeTrading(out, r.trading());
        FundingSeries f = r.funding();
        out.writeInt(f.size());
        for (int i = 0; i < f.size(); i++) {
            out.writeLong(f.time()[i]);
            writeDecimal(out, f.rate()[i]);
            writeString(out, f.markPrice()[i] == null ? null : f.markPrice()[i].toString());
        }
        out.writeBoolean(r.minutes() != null);
        if (r.minutes() != null) writeKlines(out, r.minutes());
        DerivativeColumns d = r.derivatives();
        out.writeBoolean(d != null);
        if (d != null) {
            writeDoubles(out, d.openInterest());
            writeDoubles(out, d.fundingRate());
            writeLongs(out, d.fundingTime());
            writeDoubles(out, d.longShortRatio());
            writeDoubles(out, d.liquidationsLong());
            writeDoubles(out, d.liquidationsShort());
        }
        out.writeInt(r.series().size());
        for (OtherSeries o : r.series()) {
            writeString(out, o.symbol());
            writeString(out, o.interval());
            writeKlines(out, o.klines());
            writeInts(out, o.visible());
        }
        out.flush();
    }

    private static void writeKlines(DataOutputStream out, KlineSeries k) throws IOException {
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
    }

    private static KlineSeries readKlines(DataInputStream in) throws IOException {
        return new KlineSeries(readLongs(in), readDoubles(in), readDoubles(in), readDoubles(in),
                readDoubles(in), readDoubles(in), readLongs(in), readDoubles(in), readInts(in), readDoubles(in),
                readDoubles(in));
    }

    private static void writeTrading(DataOutputStream out, Trading t) throws IOException {
        out.writeByte(t.market().ordinal());
        out.writeInt(t.leverage());
        out.writeByte(t.marginMode().ordinal());
        out.writeByte(t.fill().ordinal());
        writeDecimal(out, t.slippage());
        writeDecimal(out, t.makerFee());
        writeDecimal(out, t.takerFee());
        out.writeByte(t.intrabar().ordinal());
    }

    private static Trading readTrading(DataInputStream in) throws IOException {
        return new Trading(Trading.Market.values()[in.readByte()], in.readInt(), Trading.MarginMode.values()[in.readByte()],
                Trading.FillTiming.values()[in.readByte()], readDecimal(in), readDecimal(in), readDecimal(in),
                Trading.Intrabar.values()[in.readByte()]);
    }

    record RunMessage(long runId, String jobKey, BacktestRequest request, WorkerLimits limits) { }

    /** Reads the body of a RUN message (the type byte already read). */
    static RunMessage readRun(DataInputStream in) throws IOException {
        long runId = in.readLong();
        String jobKey = readString(in);
        String code = readString(in);
        Map<String, Object> params = JSON.readValue(readString(in), new TypeReference<Map<String, Object>>() { });
        BigDecimal initial = readDecimal(in);
        BigDecimal fee = readDecimal(in);
        String base = readString(in);
        String quote = readString(in);
        WorkerLimits limits = new WorkerLimits(Duration.ofMillis(in.readLong()), in.readLong(), in.readDouble(),
                in.readLong(), in.readInt(), Duration.ofMillis(in.readLong()), in.readInt());
        KlineSeries k = readKlines(in);
        Trading trading = readTrading(in);
        int nf = in.readInt();
        long[] ft = new long[nf];
        BigDecimal[] rate = new BigDecimal[nf];
        BigDecimal[] mark = new BigDecimal[nf];
        for (int i = 0; i < nf; i++) {
            ft[i] = in.readLong();
            rate[i] = readDecimal(in);
            String m = readString(in);
            mark[i] = m == null ? null : new BigDecimal(m);
        }
        KlineSeries minutes = in.readBoolean() ? readKlines(in) : null;
        DerivativeColumns derivatives = in.readBoolean() ? new DerivativeColumns(readDoubles(in), readDoubles(in),
                readLongs(in), readDoubles(in), readDoubles(in), readDoubles(in)) : null;
        int ns = in.readInt();
        List<OtherSeries> series = new ArrayList<>(ns);
        for (int i = 0; i < ns; i++) {
            series.add(new OtherSeries(readString(in), readString(in), readKlines(in), readInts(in)));
        }
        return new RunMessage(runId, jobKey, new BacktestRequest(code, k, params, initial, fee, base, quote, trading,
                new FundingSeries(ft, rate, mark), minutes, derivatives, series), limits);
    }

    static void writeFillBody(DataOutputStream out, Fill f) throws IOException {
        out.writeInt(f.klineIndex());
        out.writeLong(f.timestamp());
        out.writeByte(f.side() == Side.BUY ? 0 : 1);
        out.writeByte(f.reason().ordinal());
        writeDecimal(out, f.price());
        writeDecimal(out, f.amount());
        writeDecimal(out, f.balance());
        writeDecimal(out, f.fee());
        writeDecimal(out, f.slippage());
    }

    static Fill readFillBody(DataInputStream in) throws IOException {
        return new Fill(in.readInt(), in.readLong(), in.readByte() == 0 ? Side.BUY : Side.SELL,
                Fill.Reason.values()[in.readByte()], readDecimal(in), readDecimal(in), readDecimal(in), readDecimal(in),
                readDecimal(in));
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
        writeTrading(out, r.trading());
        writeDecimal(out, r.fundingPaid());
        out.writeInt(r.liquidations());
        out.writeInt(r.funding().size());
        for (BacktestResult.FundingPayment p : r.funding()) {
            out.writeLong(p.timestamp());
            writeDecimal(out, p.rate());
            writeDecimal(out, p.price());
            writeDecimal(out, p.position());
            writeDecimal(out, p.amount());
        }
        out.writeInt(r.orders().size());
        for (Order o : r.orders()) {
            out.writeLong(o.id());
            out.writeByte(o.side().ordinal());
            out.writeByte(o.type().ordinal());
            writeDecimal(out, o.amount());
            writeString(out, o.price() == null ? null : o.price().toString());
            writeString(out, o.stop() == null ? null : o.stop().toString());
            out.writeBoolean(o.reduceOnly());
            writeString(out, o.tag());
            out.writeInt(o.placedKline());
            out.writeInt(o.lastKline());
            out.writeByte(o.status().ordinal());
            out.writeInt(o.endKline());
        }
        BacktestResult.DataQuality q = r.dataQuality();
        out.writeInt(q.ambiguousKlines());
        out.writeInt(q.droppedOrders());
        out.writeInt(q.fundingTimes());
        out.writeInt(q.fundingSkipped());
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
        Trading trading = readTrading(in);
        BigDecimal fundingPaid = readDecimal(in);
        int liquidations = in.readInt();
        int nf = in.readInt();
        List<BacktestResult.FundingPayment> funding = new ArrayList<>(nf);
        for (int i = 0; i < nf; i++) {
            funding.add(new BacktestResult.FundingPayment(in.readLong(), readDecimal(in), readDecimal(in), readDecimal(in),
                    readDecimal(in)));
        }
        int no = in.readInt();
        List<Order> orders = new ArrayList<>(no);
        for (int i = 0; i < no; i++) {
            long id = in.readLong();
            Side side = Side.values()[in.readByte()];
            Order.Type type = Order.Type.values()[in.readByte()];
            BigDecimal amount = readDecimal(in);
            String p = readString(in);
            String st = readString(in);
            orders.add(new Order(id, side, type, amount, p == null ? null : new BigDecimal(p),
                    st == null ? null : new BigDecimal(st), in.readBoolean(), readString(in), in.readInt(), in.readInt(),
                    Order.Status.values()[in.readByte()], in.readInt()));
        }
        BacktestResult.DataQuality q = new BacktestResult.DataQuality(in.readInt(), in.readInt(), in.readInt(), in.readInt());
        return new BacktestResult(initial, fin, profit, rate, dd, total, win, base, quote, baseFee, quoteFee, fills,
                curve, trading, fundingPaid, liquidations, funding, orders, q);
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
