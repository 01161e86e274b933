package dev.candlebox.db.ingest;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FileNameHintsTest {

    /** name -> symbol and interval it gives ("-" for none: absent or ambiguous). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "data/BTCUSDT-1h-2023-01.csv.gz, BTCUSDT, 1h, -",
            "derived/BTCUSDT-1h-spot-20190101-20240716.csv.gz, BTCUSDT, 1h, -",
            "derived/ETHUSDT-1m-spot-202503.csv.gz, ETHUSDT, 1m, -",
            "raw/BTCUSDT_1m.csv.gz, BTCUSDT, 1m, -",
            "data/BNBUSDT_1h.csv.gz, BNBUSDT, 1h, -",
            "data/1h/ETHUSDT.csv.gz, ETHUSDT, 1h, -",
            "data/oi_4h/ETHUSDT.csv.gz, ETHUSDT, -, -",
            "csvFolder/BTCUSDT_PERP.A_ohlcv-history.csv.gz, BTCUSDT, -, -",
            "futures/BTC_USDT_USDT-1h-futures.json.gz, BTCUSDT, 1h, -",
            "futures/BTC_USDT_USDT-8h-funding_rate.json.gz, BTCUSDT, 8h, funding_rate",
            "futures/BTC_USDT_USDT-8h-mark.json.gz, BTCUSDT, 8h, mark",
            "spot/ETH_BTC-1d.json, ETHBTC, 1d, -",
            "BTCUSDT-1M-2024.csv, BTCUSDT, 1M, -",
            "btcusdt_4H.csv, BTCUSDT, 4h, -",
            "BTCUSDT-vs-ETHUSDT-1h.csv, -, 1h, -",
            "BTCUSDT-1h-4h.csv, BTCUSDT, -, -",
            "prices.csv, -, -, -",
    })
    void theNameGivesSymbolAndIntervalWhenUnambiguous(String name, String symbol, String interval, String candleType) {
        FileNameHints h = FileNameHints.of(KlineFile.of(Path.of(name)));
        assertEquals(symbol, h.symbol().orElse("-"));
        assertEquals(interval, h.interval().map(i -> i.code()).orElse("-"));
        assertEquals(candleType, h.candleType() == null ? "-" : h.candleType());
    }
}
