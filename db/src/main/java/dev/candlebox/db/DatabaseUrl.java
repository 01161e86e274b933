package dev.candlebox.db;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Turns the URL forms users write into a JDBC URL: {@code postgresql://user:pass@host:port/db},
 * {@code postgres://...}, the reference system's {@code postgresql+asyncpg://...}, or a JDBC URL as it is.
 */
public final class DatabaseUrl {
    private DatabaseUrl() {}

    /**
     * The embedded default: an H2 file database in {@code dataDir}, in PostgreSQL mode. AUTO_SERVER lets
     * {@code import} and {@code backtest} open it while {@code serve} holds it.
     */
    public static String embedded(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("candlebox")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE";
    }

    public static String toJdbc(String url) {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("DATABASE_URL is empty");
        String u = url.trim();
        if (u.startsWith("jdbc:")) {
            Dialect.of(u);
            return u;
        }
        int scheme = u.indexOf("://");
        if (scheme < 0) throw new IllegalArgumentException("DATABASE_URL is not a URL: " + redact(u));
        String name = u.substring(0, scheme);
        if (!name.equals("postgresql") && !name.equals("postgres") && !name.startsWith("postgresql+")) {
            throw new IllegalArgumentException("DATABASE_URL must be a PostgreSQL URL (postgresql://user:pass@host:port/db) or a JDBC URL, got scheme '" + name + "'");
        }
        URI uri;
        try {
            uri = URI.create("postgresql" + u.substring(scheme));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DATABASE_URL is malformed: " + redact(u), e);
        }
        if (uri.getHost() == null) throw new IllegalArgumentException("DATABASE_URL has no host: " + redact(u));
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() > 0) jdbc.append(':').append(uri.getPort());
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        jdbc.append(path);
        String sep = "?";
        if (uri.getRawQuery() != null) {
            jdbc.append('?').append(uri.getRawQuery());
            sep = "&";
        }
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            jdbc.append(sep).append("user=").append(parts[0]);
            sep = "&";
            if (parts.length == 2) jdbc.append(sep).append("password=").append(parts[1]);
        }
        return jdbc.toString();
    }

    /** The URL with its password hidden, for logs and errors. */
    public static String redact(String url) {
        String decoded = URLDecoder.decode(url, StandardCharsets.UTF_8);
        return decoded.replaceAll("(://[^:/@]+):[^@]*@", "$1:***@").replaceAll("(password=)[^&;]*", "$1***");
    }
}
