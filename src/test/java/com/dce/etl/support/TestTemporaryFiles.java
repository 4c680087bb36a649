package com.dce.etl.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * The suite's temporary files (H2 files, service logs, Vert.x caches) go to {@code java.io.tmpdir}, which the build
 * points at {@code target/test-tmp}: made before the first test and emptied after the last, so a run leaves nothing
 * behind in /tmp or in target.
 */
public final class TestTemporaryFiles implements LauncherSessionListener {
    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"));

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        try {
            Files.createDirectories(ROOT);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + ROOT, e);
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (!ROOT.toAbsolutePath().toString().contains("target")) {
            return; // run from an IDE with the system's /tmp: not ours to empty
        }
        deleteContents(ROOT);
    }

    /** Deletes what is under {@code directory}, as far as it can. */
    static void deleteContents(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).filter(path -> !path.equals(directory)).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException stillInUse) {
                    // a file a finished process still holds; the next run empties it
                }
            });
        } catch (IOException e) {
            // nothing there
        }
    }
}
