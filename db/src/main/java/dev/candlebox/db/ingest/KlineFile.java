package dev.candlebox.db.ingest;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A kline file to import: a path on disk or a classpath resource. Its name is what errors show and what the
 * symbol and interval are inferred from ({@code BTCUSDT-1h-2023-01.csv.gz}).
 */
public record KlineFile(String name, Opener opener) {
    /** Opens the raw bytes (compressed or not: the reader looks at the content). */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    public static KlineFile of(Path path) {
        return new KlineFile(path.toString(), () -> {
            if (Files.isDirectory(path)) throw new IOException(path + " is a folder, not a file");
            try {
                return Files.newInputStream(path);
            } catch (NoSuchFileException e) {
                throw new FileNotFoundException(path + ": no such file");
            }
        });
    }

    /** A resource on the classpath, e.g. {@code sample/BTCUSDT-1h-2023-01.csv.gz}. */
    public static KlineFile classpath(String resource, ClassLoader loader) {
        return new KlineFile("classpath:" + resource, () -> {
            InputStream in = loader.getResourceAsStream(resource);
            if (in == null) throw new FileNotFoundException("classpath resource " + resource + " not found");
            return in;
        });
    }

    /** The last part of the name: the file name without its folders. */
    public String fileName() {
        String n = name.startsWith("classpath:") ? name.substring("classpath:".length()) : name;
        int slash = Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\'));
        return n.substring(slash + 1);
    }

    /** The name of the folder holding the file, or "" (some collections name the interval by folder: {@code 1h/BTCUSDT.csv}). */
    public String folderName() {
        String n = name.startsWith("classpath:") ? name.substring("classpath:".length()) : name;
        n = n.replace('\\', '/');
        int slash = n.lastIndexOf('/');
        if (slash <= 0) return "";
        String dir = n.substring(0, slash);
        return dir.substring(dir.lastIndexOf('/') + 1);
    }
}
