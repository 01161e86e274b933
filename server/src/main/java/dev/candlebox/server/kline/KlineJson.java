package dev.candlebox.server.kline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.candlebox.db.kline.KlineColumns;

import java.io.IOException;
import java.io.OutputStream;

/** Writes klines straight from columns into JSON, in the reference API's field names. */
final class KlineJson {
    static final JsonFactory FACTORY = new JsonFactory();

    private KlineJson() {}

    static JsonGenerator generator(OutputStream out) throws IOException {
        return FACTORY.createGenerator(out);
    }

    static void writeRows(JsonGenerator g, KlineColumns k) throws IOException {
        for (int i = 0; i < k.size(); i++) writeRow(g, k, i);
    }

    static void writeRow(JsonGenerator g, KlineColumns k, int i) throws IOException {
        g.writeStartObject();
        g.writeStringField("open_time", IsoTime.format(k.openTime(i)));
        g.writeNumberField("open", k.open(i));
        g.writeNumberField("high", k.high(i));
        g.writeNumberField("low", k.low(i));
        g.writeNumberField("close", k.close(i));
        g.writeNumberField("volume", k.volume(i));
        g.writeStringField("close_time", IsoTime.format(k.closeTime(i)));
        number(g, "quote_asset_volume", k.quoteVolume(i));
        g.writeFieldName("number_of_trades");
        if (k.tradesCount(i) == KlineColumns.MISSING_COUNT) g.writeNull();
        else g.writeNumber(k.tradesCount(i));
        number(g, "taker_buy_base_asset_volume", k.takerBuyBaseVolume(i));
        number(g, "taker_buy_quote_asset_volume", k.takerBuyQuoteVolume(i));
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, String name, double v) throws IOException {
        g.writeFieldName(name);
        if (Double.isNaN(v)) g.writeNull();
        else g.writeNumber(v);
    }
}
