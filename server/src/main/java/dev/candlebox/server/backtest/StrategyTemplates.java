package dev.candlebox.server.backtest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The example strategies of {@code strategies/}, packed into the jar: the editor's templates. */
public final class StrategyTemplates {
    private static final String FOLDER = "strategies/";
    private static final Pattern DOCSTRING = Pattern.compile("^\\s*(?:\"\"\"|''')(.*?)(?:\"\"\"|''')", Pattern.DOTALL);

    /** A template: its file name, a title (the docstring's first line), the docstring, the code. */
    public record Template(String name, String file, String description, String code) {}

    private StrategyTemplates() {}

    public static List<Template> all() {
        List<Template> out = new ArrayList<>();
        try {
            Path source = Path.of(StrategyTemplates.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(source)) {
                Path dir = source.resolve(FOLDER);
                if (!Files.isDirectory(dir)) return out;
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path p : files.filter(f -> f.toString().endsWith(".py")).sorted().toList()) {
                        out.add(template(p.getFileName().toString(), Files.readString(p)));
                    }
                }
            } else {
                try (ZipFile jar = new ZipFile(source.toFile())) {
                    List<? extends ZipEntry> entries = jar.stream()
                            .filter(e -> e.getName().startsWith(FOLDER) && e.getName().endsWith(".py")).sorted(
                                    java.util.Comparator.comparing(ZipEntry::getName)).toList();
                    for (ZipEntry e : entries) {
                        try (InputStream in = jar.getInputStream(e)) {
                            out.add(template(e.getName().substring(FOLDER.length()), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    static Template template(String file, String code) {
        Matcher m = DOCSTRING.matcher(code);
        String doc = m.find() ? m.group(1).strip() : "";
        String title = doc.isEmpty() ? file.replace(".py", "") : doc.lines().findFirst().orElse("").strip();
        return new Template(title, file, doc, code);
    }
}
