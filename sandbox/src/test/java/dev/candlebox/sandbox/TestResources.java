package dev.candlebox.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Text files the tests keep beside their classes (strategies written for a test). */
public final class TestResources {
    private TestResources() { }

    /** The UTF-8 text of the test resource at {@code path} (absolute, e.g. "/dev/candlebox/sandbox/hostile/bypass.py"). */
    public static String text(String path) {
        try (InputStream in = TestResources.class.getResourceAsStream(path)) {
            if (in == null) throw new AssertionError("no test resource " + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
