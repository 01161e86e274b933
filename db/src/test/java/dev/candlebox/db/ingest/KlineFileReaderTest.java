package dev.candlebox.db.ingest;

import dev.candlebox.db.kline.KlineColumns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KlineFileReaderTest {

    /** What a reader produced: the rows as columns, plus the symbols and line numbers the rows carried. */
    record Read(KlineColumns rows, List<String> symbols, List<String> wheres, String description, boolean closeTimes) {}

    static Read read(KlineFile file, long shiftMillis) {
        try (KlineFileReader r = KlineFileReader.open(file, shiftMillis)) {
            KlineColumns cols = new KlineColumns(1024);
            List<String> symbols = new ArrayList<>();
            List<String> wheres = new ArrayList<>();
            r.forEach((row, where) -> {
                cols.add(row.openTime, row.open, row.high, row.low, row.close, row.volume, row.closeTime,
                        row.quoteVolume, row.tradesCount, row.takerBuyBaseVolume, row.takerBuyQuoteVolume);
                symbols.add(row.symbol);
                wheres.add(where);
            });
            return new Read(cols, symbols, wheres, r.description(), r.hasCloseTimes());
        }
    }

    static Read read(String relative) {
        return read(KlineFile.of(RawFile.path(relative)), 0);
    }

    static long utc(String isoMinute) {
        return LocalDateTime.parse(isoMinute.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /** Row counts and first/last open times as FILES.md lists them ("as stored": Coinalyze's are UTC+6 wall times). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "derived/BTCUSDT-1h-spot-20190101-20240716.csv.gz, 48478, 2019-01-01 00:00, 2024-07-16 08:00",
            "derived/BTCUSDT-1m-spot-202503.csv.gz, 44640, 2025-03-01 03:00, 2025-04-01 02:59",
            "derived/ETHUSDT-1m-spot-202503.csv.gz, 44640, 2025-03-01 03:00, 2025-04-01 02:59",
            "intabyu__interview-at/data/BTCUSDT-1h-2023-01.csv.gz, 744, 2023-01-01 00:00, 2023-01-31 23:00",
            "intabyu__interview-at/data/BTCUSDT-1h-2023-03.csv.gz, 743, 2023-03-01 00:00, 2023-03-31 23:00",
            "Karasik777__ForecastTest/data/raw/BTCUSDT_1m.csv.gz, 4320, 2025-10-29 04:22, 2025-11-01 04:21",
            "Karasik777__ForecastTest/data/raw/ETHUSDT_1m.csv.gz, 4320, 2025-10-29 04:22, 2025-11-01 04:21",
            "misrori__binance_startegy/data/BTCUSDT_1h.csv.gz, 23988, 2021-04-04 20:00, 2023-12-30 19:00",
            "misrori__binance_startegy/data/ETHUSDT_1h.csv.gz, 23989, 2021-04-04 20:00, 2023-12-30 20:00",
            "misrori__binance_startegy/data/BNBUSDT_1h.csv.gz, 23988, 2021-04-04 21:00, 2023-12-30 20:00",
            "gg-cmk__binance-quant/data/BTCUSDT-1h-futures.csv.gz, 13848, 2025-01-01 00:00, 2026-07-31 23:00",
            "gg-cmk__binance-quant/data/BTCUSDT-4h-futures.csv.gz, 3462, 2025-01-01 00:00, 2026-07-31 20:00",
            "silertrades__gravestone-data/data/1h/BTCUSDT.csv.gz, 4500, 2025-09-13 08:00, 2026-03-19 19:00",
            "silertrades__gravestone-data/data/1h/BNBUSDT.csv.gz, 4500, 2025-09-13 08:00, 2026-03-19 19:00",
            "denizyts__Coinalyze-Backtester/src/csvFolder/BTCUSDT_PERP.A_ohlcv-history.csv.gz, 1465, 2024-06-20 03:00, 2024-08-20 03:00",
            "denizyts__Coinalyze-Backtester/src/csvFolder/ETHUSDT_PERP.A_ohlcv-history.csv.gz, 1465, 2024-06-20 03:00, 2024-08-20 03:00",
            "aminak58__RL-Trading-Validation/user_data/data/binance/futures/BTC_USDT_USDT-1h-futures.json.gz, 838, 2025-09-19 00:00, 2025-10-23 21:00",
    })
    void everyKlineFileInTheSharedDataIsRead(String file, int rows, String first, String last) {
        Read r = read(file);
        assertEquals(rows, r.rows().size());
        assertEquals(utc(first), r.rows().openTime(0));
        assertEquals(utc(last), r.rows().openTime(rows - 1));
    }

    @Test
    void mainSeriesRowsCarryTheValuesOfTheRawText() {
        Read r = read(RawFile.MAIN_SERIES);
        List<String[]> raw = RawFile.rows(RawFile.MAIN_SERIES, false);
        assertEquals(raw.size(), r.rows().size());
        assertTrue(r.closeTimes());
        assertTrue(r.description().contains("Binance kline, 12 fields, no header"), r.description());
        assertTrue(r.description().contains("epoch milliseconds"), r.description());
        assertTrue(r.description().contains("gzip"), r.description());
        for (int i : new int[]{0, 3773, 20000, raw.size() - 1}) {
            String[] f = raw.get(i);
            KlineColumns k = r.rows();
            assertEquals(Long.parseLong(f[0]), k.openTime(i));
            assertEquals(Double.parseDouble(f[1]), k.open(i));
            assertEquals(Double.parseDouble(f[2]), k.high(i));
            assertEquals(Double.parseDouble(f[3]), k.low(i));
            assertEquals(Double.parseDouble(f[4]), k.close(i));
            assertEquals(Double.parseDouble(f[5]), k.volume(i));
            assertEquals(Long.parseLong(f[6]), k.closeTime(i));
            assertEquals(Double.parseDouble(f[7]), k.quoteVolume(i));
            assertEquals(Integer.parseInt(f[8]), k.tradesCount(i));
            assertEquals(Double.parseDouble(f[9]), k.takerBuyBaseVolume(i));
            assertEquals(Double.parseDouble(f[10]), k.takerBuyQuoteVolume(i));
            assertEquals("line " + (i + 1), r.wheres().get(i));
        }
        // row 3774 is one of Binance's own short klines: closed early, at 2019-06-07 21:13:13.524
        assertEquals(1559941993524L, r.rows().closeTime(3773));
    }

    @Test
    void isoTimesWithOffsetsAndASymbolColumn() {
        String file = "Karasik777__ForecastTest/data/raw/BTCUSDT_1m.csv.gz";
        Read r = read(file);
        List<String[]> raw = RawFile.rows(file, true);
        // 2025-10-29 04:22:59.999000+00:00
        assertEquals(utc("2025-10-29 04:22") + 59_999, r.rows().closeTime(0));
        int i = 1234;
        String[] f = raw.get(i);
        assertEquals(Double.parseDouble(f[1]), r.rows().open(i));
        assertEquals(Double.parseDouble(f[4]), r.rows().close(i));
        assertEquals(Double.parseDouble(f[7]), r.rows().quoteVolume(i));
        assertEquals(Integer.parseInt(f[8]), r.rows().tradesCount(i));
        assertEquals(Double.parseDouble(f[10]), r.rows().takerBuyQuoteVolume(i));
        assertEquals(Double.parseDouble(f[9]), r.rows().takerBuyBaseVolume(i));
        assertEquals(r.rows().openTime(i) + 59_999, r.rows().closeTime(i));
        assertEquals("BTCUSDT", r.symbols().get(i));
        assertEquals("line " + (i + 2), r.wheres().get(i)); // the header is line 1
        assertTrue(r.description().contains("header row"), r.description());
        assertTrue(r.description().contains("ISO-8601"), r.description());
    }

    @Test
    void aFileWithoutCloseTimesOrTakerColumnsLeavesThemMissing() {
        Read r = read("misrori__binance_startegy/data/BTCUSDT_1h.csv.gz");
        assertFalse(r.closeTimes());
        assertEquals(KlineRow.NO_CLOSE_TIME, r.rows().closeTime(0));
        assertTrue(Double.isNaN(r.rows().quoteVolume(0)));
        assertEquals(-1, r.rows().tradesCount(0));
        assertEquals("BTCUSDT", r.symbols().getFirst());
        // 2021-04-04 20:00:00,57953.86000000,58051.25000000,57826.16000000,58025.11000000,1240.20901600,BTCUSDT
        assertEquals(57953.86, r.rows().open(0));
        assertEquals(1240.209016, r.rows().volume(0));
    }

    @Test
    void theCoinalyzeExportIsShiftedByTheUsersHours() {
        String file = "denizyts__Coinalyze-Backtester/src/csvFolder/BTCUSDT_PERP.A_ohlcv-history.csv.gz";
        Read r = read(KlineFile.of(RawFile.path(file)), -6 * 3_600_000L);
        assertEquals(utc("2024-06-19 21:00"), r.rows().openTime(0));
        assertEquals(utc("2024-08-19 21:00"), r.rows().openTime(1464));
        // 2024-06-20 03:00:00,64850.4,65060.4,64809.5,64973,3107.466999999993,1824.2789999999895,18419,7993
        assertEquals(64973.0, r.rows().close(0));
        assertEquals(3107.466999999993, r.rows().volume(0));
        assertEquals(1824.2789999999895, r.rows().takerBuyBaseVolume(0));
        assertEquals(18419, r.rows().tradesCount(0));
        assertTrue(r.description().contains("Coinalyze"), r.description());
    }

    @Test
    void freqtradeJsonArrays() {
        Read r = read("aminak58__RL-Trading-Validation/user_data/data/binance/futures/BTC_USDT_USDT-1h-futures.json.gz");
        // [[1758240000000,117017.1,117375.1,116960.8,117359.9,3198.752],...
        assertEquals(1758240000000L, r.rows().openTime(0));
        assertEquals(117017.1, r.rows().open(0));
        assertEquals(3198.752, r.rows().volume(0));
        assertTrue(r.description().startsWith("JSON arrays, gzip"), r.description());
        assertTrue(r.wheres().get(1).startsWith("element 2 (line 1, column"), r.wheres().get(1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "gg-cmk__binance-quant/data/BTCUSDT-funding.csv.gz, 'open, high, low, close, volume column'",
            "silertrades__gravestone-data/data/funding/BTCUSDT.csv.gz, 'open, high, low, close, volume column'",
            "silertrades__gravestone-data/data/oi_4h/BTCUSDT.csv.gz, 'open, high, low, close, volume column'",
            "denizyts__Coinalyze-Backtester/src/csvFolder/BTCUSDT_PERP.A_open-interest-history.csv.gz, 'five fields are a time and four values: no volume'",
            "denizyts__Coinalyze-Backtester/src/csvFolder/BTCUSDT_PERP.A_long-short-ratio-history.csv.gz, 'not klines'",
            "denizyts__Coinalyze-Backtester/src/csvFolder/BTCUSDT_PERP.A_liquidation-history.csv.gz, 'not klines'",
    })
    void dataThatIsNotKlinesIsRefusedNamingFileAndLine(String file, String reason) {
        ImportException e = assertThrows(ImportException.class, () -> read(file));
        assertTrue(e.getMessage().startsWith(RawFile.path(file) + " line 1: "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void aBadValueIsReportedWithFileLineAndColumn(@TempDir Path dir) throws IOException {
        List<String> lines = new ArrayList<>(RawFile.lines(RawFile.MAIN_SERIES).subList(0, 5));
        lines.set(2, lines.get(2).replaceFirst("^(\\d+,[^,]+,)[^,]+", "$1abc"));
        Path f = dir.resolve("BTCUSDT-1h-broken.csv");
        Files.write(f, lines);
        ImportException e = assertThrows(ImportException.class, () -> read(KlineFile.of(f), 0));
        assertEquals(f + " line 3: the high (field 3, 'abc') is not a number", e.getMessage());
    }

    @Test
    void aShortRowAndABadTimeAreReportedToo(@TempDir Path dir) throws IOException {
        List<String> lines = new ArrayList<>(RawFile.lines(RawFile.MAIN_SERIES).subList(0, 4));
        lines.set(1, "1546304400000,3700.2,3702.73");
        Path f = dir.resolve("short.csv");
        Files.write(f, lines);
        ImportException e = assertThrows(ImportException.class, () -> read(KlineFile.of(f), 0));
        assertTrue(e.getMessage().startsWith(f + " line 2: has 3 fields, expected at least 11"), e.getMessage());

        lines.set(1, lines.get(2).replaceFirst("^\\d+", "2019-13-45 00:00"));
        Files.write(f, lines);
        e = assertThrows(ImportException.class, () -> read(KlineFile.of(f), 0));
        assertTrue(e.getMessage().startsWith(f + " line 2: cannot read the open time (field 1): '2019-13-45 00:00'"), e.getMessage());
    }

    /** A real export's shape: epoch milliseconds and a date-time for the same open time, built from the main series. */
    static List<String> bothTimeColumns(int rows) {
        List<String> lines = new ArrayList<>(List.of("timestamp,datetime,open,high,low,close,volume"));
        for (String raw : RawFile.lines(RawFile.MAIN_SERIES).subList(0, rows)) {
            String[] f = raw.split(",");
            String iso = java.time.Instant.ofEpochMilli(Long.parseLong(f[0])).toString().replace('T', ' ').replace("Z", "");
            lines.add(String.join(",", f[0], iso, f[1], f[2], f[3], f[4], f[5]));
        }
        return lines;
    }

    @Test
    void aHeaderWithBothAnEpochAndADateTimeColumnIsReadWhenTheyAgree(@TempDir Path dir) throws IOException {
        Path f = Files.write(dir.resolve("BTCUSDT-1h-both.csv"), bothTimeColumns(5));
        Read r = read(KlineFile.of(f), 0);
        assertEquals(5, r.rows().size());
        assertEquals(1546300800000L, r.rows().openTime(0)); // 2019-01-01 00:00 UTC, the main series' first row
        assertEquals(1546315200000L, r.rows().openTime(4));
        assertEquals(3700.31, r.rows().close(0));
        assertTrue(r.description().contains("the open time is read from timestamp and checked against datetime on every row"),
                r.description());
    }

    @Test
    void bothTimeColumnsDisagreeingIsRefusedNamingTheRowAndBothValues(@TempDir Path dir) throws IOException {
        List<String> lines = bothTimeColumns(5);
        // Row 4 (line 4): the date-time says an hour later than the epoch column.
        lines.set(3, lines.get(3).replace("2019-01-01 02:00:00", "2019-01-01 03:00:00"));
        Path f = Files.write(dir.resolve("BTCUSDT-1h-both.csv"), lines);
        ImportException e = assertThrows(ImportException.class, () -> read(KlineFile.of(f), 0));
        assertEquals(f + " line 4: the two open time columns disagree: field 1 '1546308000000' is 2019-01-01T02:00:00Z, "
                + "field 2 '2019-01-01 03:00:00' is 2019-01-01T03:00:00Z", e.getMessage());
    }

    @Test
    void plainZipAndGzipCopiesReadTheSame(@TempDir Path dir) throws IOException {
        String file = "intabyu__interview-at/data/BTCUSDT-1h-2023-02.csv.gz";
        byte[] text = (String.join("\n", RawFile.lines(file)) + "\n").getBytes(StandardCharsets.UTF_8);
        Path plain = Files.write(dir.resolve("BTCUSDT-1h-2023-02.csv"), text);
        Path zip = dir.resolve("BTCUSDT-1h-2023-02.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("BTCUSDT-1h-2023-02.csv"));
            z.write(text);
            z.closeEntry();
        }
        Read gz = read(file);
        for (Path p : List.of(plain, zip)) {
            Read r = read(KlineFile.of(p), 0);
            assertEquals(672, r.rows().size());
            for (int i = 0; i < 672; i++) {
                assertEquals(gz.rows().openTime(i), r.rows().openTime(i));
                assertEquals(gz.rows().close(i), r.rows().close(i));
                assertEquals(gz.rows().takerBuyQuoteVolume(i), r.rows().takerBuyQuoteVolume(i));
            }
        }
        assertTrue(read(KlineFile.of(zip), 0).description().contains("zip (BTCUSDT-1h-2023-02.csv)"));
    }

    @Test
    void microsecondAndSecondTimestampsAreToldApartByMagnitude(@TempDir Path dir) throws IOException {
        // data.binance.vision's spot files carry microseconds since 2025
        List<String[]> raw = RawFile.rows(RawFile.MAIN_SERIES, false).subList(0, 3);
        List<String> micro = new ArrayList<>(), seconds = new ArrayList<>();
        for (String[] f : raw) {
            String[] m = f.clone();
            m[0] = f[0] + "000";
            m[6] = f[6] + "999";
            micro.add(String.join(",", m));
            String[] s = f.clone();
            s[0] = String.valueOf(Long.parseLong(f[0]) / 1000);
            s[6] = String.valueOf(Long.parseLong(f[6]) / 1000);
            seconds.add(String.join(";", s));
        }
        Read m = read(KlineFile.of(Files.write(dir.resolve("micro.csv"), micro)), 0);
        Read s = read(KlineFile.of(Files.write(dir.resolve("seconds.csv"), seconds)), 0);
        for (int i = 0; i < 3; i++) {
            assertEquals(Long.parseLong(raw.get(i)[0]), m.rows().openTime(i));
            assertEquals(Long.parseLong(raw.get(i)[6]), m.rows().closeTime(i));
            assertEquals(Long.parseLong(raw.get(i)[0]), s.rows().openTime(i));
            assertEquals(Double.parseDouble(raw.get(i)[4]), s.rows().close(i));
        }
        assertTrue(m.description().contains("epoch microseconds"), m.description());
        assertTrue(s.description().contains("';' separated"), s.description());
    }

    @Test
    void aHeaderOnlyFileHasNoRowsAndAnEmptyFileIsAnError(@TempDir Path dir) throws IOException {
        Path header = Files.writeString(dir.resolve("h.csv"), "open_time,open,high,low,close,volume\n");
        assertEquals(0, read(KlineFile.of(header), 0).rows().size());
        Path empty = Files.writeString(dir.resolve("e.csv.gz"), "");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(empty))) {
            o.write("\n\n".getBytes(StandardCharsets.UTF_8));
        }
        ImportException e = assertThrows(ImportException.class, () -> read(KlineFile.of(empty), 0));
        assertEquals(empty + ": the file is empty", e.getMessage());
        ImportException missing = assertThrows(ImportException.class, () -> read(KlineFile.of(dir.resolve("nope.csv")), 0));
        assertTrue(missing.getMessage().contains("nope.csv: cannot open"), missing.getMessage());
    }

    @Test
    void isoTimeShapes() {
        assertEquals(utc("2024-01-01 00:00"), KlineTime.parse("2024-01-01T00:00:00Z"));
        assertEquals(utc("2024-01-01 00:00"), KlineTime.parse("2024-01-01"));
        assertEquals(utc("2024-01-01 00:00"), KlineTime.parse("2024-01-01 06:00:00+06:00"));
        assertEquals(utc("2024-01-01 00:00") + 999, KlineTime.parse("2024-01-01 00:00:00.999000+00:00"));
        assertEquals(utc("2024-01-01 05:30"), KlineTime.parse("2024-01-01T00:00-0530"));
        assertEquals(utc("2024-01-01 00:00"), KlineTime.parse("1704067200"));
        assertEquals(utc("2024-01-01 00:00"), KlineTime.parse("1.7040672E12"));
        assertThrows(IllegalArgumentException.class, () -> KlineTime.parse("open_time"));
        assertThrows(IllegalArgumentException.class, () -> KlineTime.parse("2024-02-30 00:00"));
    }
}
