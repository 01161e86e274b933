package dev.candlebox.db.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import de.siegmar.fastcsv.reader.CommentStrategy;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.CloseableIterator;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads a kline file as a stream of rows, whatever its shape: gzip, zip (the first file inside, as
 * data.binance.vision ships them) or plain; CSV (comma, semicolon, tab or '|' separated, with or without a
 * header row; FastCSV does the CSV parsing) or JSON arrays of arrays (freqtrade's {@code download-data}
 * files, Binance REST responses saved to disk). The format is told from the content, never from the name.
 * Nothing but the current row is held in memory.
 */
final class KlineFileReader implements AutoCloseable {
    @FunctionalInterface
    interface RowHandler {
        void accept(KlineRow row, String where);
    }

    private static final int BUFFER = 1 << 16;
    private static final JsonFactory JSON = new JsonFactory();

    private final KlineFile file;
    private final InputStream in;
    private final Rows rows;
    private final KlineLayout layout;
    private final long shiftMillis;
    private final String description;
    private final KlineRow firstRow;
    private final String firstWhere;
    private boolean firstConsumed;

    private KlineFileReader(KlineFile file, InputStream in, Rows rows, KlineLayout layout, long shiftMillis,
                            String description, KlineRow firstRow, String firstWhere) {
        this.file = file;
        this.in = in;
        this.rows = rows;
        this.layout = layout;
        this.shiftMillis = shiftMillis;
        this.description = description;
        this.firstRow = firstRow;
        this.firstWhere = firstWhere;
    }

    /**
     * A file's bytes, decompressed (gzip, the first file of a zip, or plain) and past a byte-order mark: where
     * every reader of a data file starts. {@code firstChar} is the first character that is not white space
     * ({@code '['} for JSON), or -1 for an empty file.
     */
    record Content(InputStream raw, InputStream stream, String compression, int firstChar) {
        void close() {
            closeQuietly(raw);
        }
    }

    /** Opens {@code file} and looks at its first bytes; the caller closes the returned content. */
    static Content openContent(KlineFile file) {
        String source = file.name();
        InputStream raw;
        try {
            raw = file.opener().open();
        } catch (IOException e) {
            throw new ImportException(source + ": cannot open: " + e.getMessage(), e);
        }
        try {
            BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER);
            String compression = "plain";
            InputStream content = buffered;
            byte[] magic = peek(buffered, 4);
            if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
                compression = "gzip";
                content = new BufferedInputStream(new GZIPInputStream(buffered, BUFFER), BUFFER);
            } else if (magic.length >= 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
                ZipInputStream zip = new ZipInputStream(buffered);
                ZipEntry entry;
                do {
                    entry = zip.getNextEntry();
                } while (entry != null && entry.isDirectory());
                if (entry == null) throw new ImportException(source + ": the zip archive holds no file");
                compression = "zip (" + entry.getName() + ")";
                content = new BufferedInputStream(zip, BUFFER);
            }
            skipBom(content);
            int firstChar = firstNonBlank(content);
            if (firstChar < 0) throw new ImportException(source + ": the file is empty");
            return new Content(raw, content, compression, firstChar);
        } catch (IOException e) {
            closeQuietly(raw);
            throw new ImportException(source + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(raw);
            throw e;
        }
    }

    /** Opens {@code file}, detects its format from the content and reads its first row. */
    static KlineFileReader open(KlineFile file, long shiftMillis) {
        String source = file.name();
        Content opened = openContent(file);
        InputStream raw = opened.raw();
        try {
            InputStream content = opened.stream();
            String compression = opened.compression();
            int firstChar = opened.firstChar();
            Rows rows = firstChar == '[' ? new JsonRows(content, source) : new CsvRows(content, sniffSeparator(content), source);
            String format = (firstChar == '[' ? "JSON arrays" : "CSV (" + describe(((CsvRows) rows).separator) + ")")
                    + (compression.equals("plain") ? "" : ", " + compression);

            if (!rows.next()) throw new ImportException(source + ": the file holds no rows");
            KlineLayout layout;
            List<String> first = rows.fields();
            boolean header = rows instanceof CsvRows && !first.isEmpty() && !looksLikeDataRow(first);
            if (header) {
                layout = KlineLayout.fromHeader(new ArrayList<>(first), source);
                if (!rows.next()) {
                    return new KlineFileReader(file, content, rows, layout, shiftMillis,
                            format + ", " + layout.description(), null, null);
                }
            } else {
                layout = KlineLayout.fromFieldCount(first, source, rows.where());
            }
            String where = rows.where();
            KlineRow row = new KlineRow();
            layout.fill(rows.fields(), row, shiftMillis, source, where);
            row.line = rows.number();
            String times = timeUnit(rows.fields().get(layout.at(KlineLayout.Column.OPEN_TIME)));
            String description = format + ", " + layout.description() + "; times: " + times;
            return new KlineFileReader(file, content, rows, layout, shiftMillis, description, row, where);
        } catch (IOException e) {
            closeQuietly(raw);
            throw new ImportException(source + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(raw);
            throw e;
        }
    }

    /** How the file was read: format, compression, layout and time unit. */
    String description() {
        return description;
    }

    boolean hasCloseTimes() {
        return layout.has(KlineLayout.Column.CLOSE_TIME);
    }

    /** The symbol the first row names, or null when the file has no symbol column (or no rows). */
    String firstSymbol() {
        return firstRow == null ? null : firstRow.symbol;
    }

    /** Reads every row into {@code handler}; a row Candlebox cannot read throws, naming file and line. */
    void forEach(RowHandler handler) {
        if (firstRow == null || firstConsumed) return;
        firstConsumed = true;
        handler.accept(firstRow, firstWhere);
        KlineRow row = new KlineRow();
        String source = file.name();
        try {
            while (rows.next()) {
                String where = rows.where();
                layout.fill(rows.fields(), row, shiftMillis, source, where);
                row.line = rows.number();
                handler.accept(row, where);
            }
        } catch (UncheckedIOException e) {
            throw new ImportException(source + " after " + rows.where() + ": cannot read: " + e.getCause().getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(in);
    }

    // --- format detection ---

    /** A header row's first field names a column; a data row's first field is a time. */
    private static boolean looksLikeDataRow(List<String> fields) {
        return KlineTime.isTime(fields.getFirst());
    }

    private static String timeUnit(String text) {
        String s = text.strip();
        if (!KlineTime.isTime(s)) return "?";
        if (s.indexOf('-') > 0 || s.indexOf(':') > 0) return "ISO-8601 (UTC unless an offset is given)";
        long v = Math.round(Double.parseDouble(s));
        if (v >= 100_000_000_000_000_000L) return "epoch nanoseconds";
        if (v >= 100_000_000_000_000L) return "epoch microseconds";
        if (v >= 100_000_000_000L) return "epoch milliseconds";
        return "epoch seconds";
    }

    private static byte[] peek(BufferedInputStream in, int n) throws IOException {
        in.mark(n);
        byte[] b = in.readNBytes(n);
        in.reset();
        return b;
    }

    private static void skipBom(InputStream in) throws IOException {
        in.mark(3);
        byte[] b = in.readNBytes(3);
        if (!(b.length == 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF)) in.reset();
    }

    private static int firstNonBlank(InputStream in) throws IOException {
        in.mark(BUFFER);
        int c;
        int n = 0;
        do {
            c = in.read();
            n++;
        } while (c >= 0 && Character.isWhitespace(c) && n < BUFFER - 1);
        in.reset();
        return c;
    }

    /** The separator most frequent on the first line: ',', ';', tab or '|'. */
    static char sniffSeparator(InputStream in) throws IOException {
        in.mark(BUFFER);
        int[] counts = new int[4];
        char[] seps = {',', ';', '\t', '|'};
        int c, n = 0;
        boolean seenContent = false;
        while ((c = in.read()) >= 0 && n++ < BUFFER - 1) {
            if (c == '\n' && seenContent) break;
            if (!Character.isWhitespace(c)) seenContent = true;
            for (int i = 0; i < seps.length; i++) if (c == seps[i]) counts[i]++;
        }
        in.reset();
        int best = 0;
        for (int i = 1; i < seps.length; i++) if (counts[i] > counts[best]) best = i;
        return seps[best];
    }

    static String describe(char separator) {
        return switch (separator) {
            case '\t' -> "tab separated";
            case ';' -> "';' separated";
            case '|' -> "'|' separated";
            default -> "',' separated";
        };
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing useful to do: the import already failed or finished
        }
    }

    // --- row sources ---

    /** The rows of a file as lists of text fields, one at a time. */
    sealed interface Rows permits CsvRows, JsonRows {
        boolean next();

        List<String> fields();

        /** Line (CSV) or element (JSON) number of the current row. */
        long number();

        /** "line 17" or "element 3 (line 1, column 200)": where the current row is, for errors. */
        String where();
    }

    static final class CsvRows implements Rows {
        private final CsvReader<CsvRecord> reader;
        private final CloseableIterator<CsvRecord> it;
        private final char separator;
        private final String source;
        private CsvRecord current;

        CsvRows(InputStream in, char separator, String source) {
            this.separator = separator;
            this.source = source;
            this.reader = CsvReader.builder()
                    .fieldSeparator(separator)
                    .skipEmptyLines(true)
                    .allowExtraFields(true)
                    .allowMissingFields(true)
                    .commentStrategy(CommentStrategy.SKIP)
                    .commentCharacter('#')
                    .ofCsvRecord(new InputStreamReader(in, StandardCharsets.UTF_8));
            this.it = reader.iterator();
        }

        @Override
        public boolean next() {
            try {
                if (!it.hasNext()) return false;
                current = it.next();
                return true;
            } catch (CsvParseException e) {
                String at = current == null ? "line 1" : "after line " + current.getStartingLineNumber();
                throw ImportException.at(source, at, "not valid CSV: " + e.getMessage()
                        + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : ""));
            }
        }

        @Override
        public List<String> fields() {
            return current.getFields();
        }

        @Override
        public long number() {
            return current.getStartingLineNumber();
        }

        @Override
        public String where() {
            return "line " + current.getStartingLineNumber();
        }
    }

    private static final class JsonRows implements Rows {
        private final JsonParser parser;
        private final String source;
        private final List<String> fields = new ArrayList<>(12);
        private long element;
        private JsonLocation location;
        private boolean ended;

        JsonRows(InputStream in, String source) throws IOException {
            this.parser = JSON.createParser(in);
            this.source = source;
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new ImportException(source + ": JSON that is not an array of klines");
            }
        }

        @Override
        public boolean next() {
            if (ended) return false;
            try {
                JsonToken t = parser.nextToken();
                if (t == JsonToken.END_ARRAY || t == null) {
                    ended = true;
                    return false;
                }
                element++;
                location = parser.currentTokenLocation();
                if (t != JsonToken.START_ARRAY) {
                    throw ImportException.at(source, where(), "expected an array of kline values, found " + t.asString());
                }
                fields.clear();
                while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) throw ImportException.at(source, where(), "the JSON ends inside a kline");
                    if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
                        throw ImportException.at(source, where(), "a kline value is itself an array or object");
                    }
                    fields.add(t == JsonToken.VALUE_NULL ? "" : parser.getText());
                }
                return true;
            } catch (IOException e) {
                throw ImportException.at(source, element == 0 ? "at the start" : "after " + where(), "not valid JSON: "
                        + e.getMessage().lines().findFirst().orElse(""));
            }
        }

        @Override
        public List<String> fields() {
            return fields;
        }

        @Override
        public long number() {
            return element;
        }

        @Override
        public String where() {
            return "element " + element + (location == null ? ""
                    : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")");
        }
    }
}
