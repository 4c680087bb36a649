package com.dce.etl.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mapping files of {@code config/mappings}. All are checked at start-up (a bad one stops it). A file edited
 * while the service runs is picked up on its next use, so a fixed mapping applies to the next call and to dead-letter
 * replays without a restart; an edit that breaks the file is logged and the previous version stays in use.
 */
public final class MappingCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(MappingCatalog.class);

    private record Loaded(CallMapping mapping, FileTime modified) {
    }

    private final Path directory;
    private final Map<String, Loaded> byProvider = new ConcurrentHashMap<>();

    private MappingCatalog(Path directory) {
        this.directory = directory;
    }

    public static MappingCatalog load(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new MappingFileException(directory.toString(), "", "mapping directory does not exist");
        }
        MappingCatalog catalog = new MappingCatalog(directory);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.yaml")) {
            for (Path file : files) {
                CallMapping mapping = MappingFileParser.parse(file);
                catalog.byProvider.put(mapping.provider(), new Loaded(mapping, modified(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        LOG.info("Loaded mapping files for {}", catalog.byProvider.keySet().stream().sorted().toList());
        return catalog;
    }

    public CallMapping forProvider(String provider) {
        Path file = directory.resolve(provider + ".yaml");
        Loaded current = byProvider.get(provider);
        FileTime modified = modified(file);
        if (current != null && (modified == null || modified.equals(current.modified()))) {
            return current.mapping();
        }
        if (modified == null) {
            throw new IllegalStateException("no mapping file " + file + " for provider " + provider);
        }
        try {
            CallMapping mapping = MappingFileParser.parse(file);
            byProvider.put(provider, new Loaded(mapping, modified));
            LOG.info("Reloaded {}", file);
            return mapping;
        } catch (MappingFileException e) {
            if (current == null) {
                throw e;
            }
            LOG.error("Keeping the previous mapping for {}: {}", provider, e.getMessage());
            byProvider.put(provider, new Loaded(current.mapping(), modified));
            return current.mapping();
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }
}
