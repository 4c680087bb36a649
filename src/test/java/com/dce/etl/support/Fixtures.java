package com.dce.etl.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Provider fixtures under src/test/resources/<provider>/. */
public final class Fixtures {
    private Fixtures() {
    }

    public static String text(String path) {
        return new String(bytes(path), StandardCharsets.UTF_8);
    }

    public static byte[] bytes(String path) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the shipped mapping files (config/mappings) into {@code dir}, for a test that edits its own copies. */
    public static void copyMappings(java.nio.file.Path dir) throws IOException {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("config/mappings"))) {
            for (java.nio.file.Path file : files.toList()) {
                java.nio.file.Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
    }
}
