package dev.candlebox.server.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candlebox.sandbox.engine.KlineSeries;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a run needs to be re-run and compared: hashes of the code and of the klines it saw, the parameters,
 * the engine version.
 */
final class Reproducibility {
    static final String ENGINE_VERSION = "candlebox 0.1.0 / GraalPy 25.0.3";

    private Reproducibility() {}

    static ObjectNode of(Submission s, KlineSeries k, ObjectMapper json) {
        ObjectNode n = json.createObjectNode();
        n.put("codeSha256", sha256(s.code().getBytes(StandardCharsets.UTF_8)));
        n.put("klinesSha256", klinesSha256(k));
        n.put("klines", k.size());
        n.set("strategyParams", json.valueToTree(s.strategyParams()));
        n.put("initialBalance", s.initialBalance());
        n.put("feeRate", s.feeRate());
        n.put("symbol", s.series().symbol());
        n.put("interval", s.series().interval().code());
        n.put("engineVersion", ENGINE_VERSION);
        return n;
    }

    /** SHA-256 over each kline's open time and OHLCV, as big-endian longs and doubles. */
    static String klinesSha256(KlineSeries k) {
        MessageDigest md = digest();
        ByteBuffer b = ByteBuffer.allocate(48);
        for (int i = 0; i < k.size(); i++) {
            b.clear();
            b.putLong(k.openTime()[i]).putDouble(k.open()[i]).putDouble(k.high()[i]).putDouble(k.low()[i])
                    .putDouble(k.close()[i]).putDouble(k.volume()[i]);
            md.update(b.array(), 0, 48);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String sha256(byte[] data) {
        return HexFormat.of().formatHex(digest().digest(data));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
