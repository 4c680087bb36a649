package com.dce.etl.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mapping files of {@code config/mappings}: {@code <provider>.yaml} for calls and {@code <provider>-trackers.yaml}
 * for trackers. All are checked at start-up (a bad one stops it). A file edited while the service runs is picked up
 * on its next use, so a fixed mapping applies to the next record and to dead-letter replays without a restart; an
 * edit that breaks the file is logged and the previous version stays in use.
 */
public final class MappingCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(MappingCatalog.class);

    private record Loaded(RecordMapping<?> mapping, FileTime modified) {
    }

    private final Path directory;
    private final Map<String, Loaded> byFile = new ConcurrentHashMap<>();

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
                TargetSchema<?> schema = schemaOf(file);
                catalog.byFile.put(file.getFileName().toString(),
                        new Loaded(MappingFileParser.parse(file, schema), modified(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        LOG.info("Loaded mapping files {}", new TreeSet<>(catalog.byFile.keySet()));
        return catalog;
    }

    /** The kind a file maps by its name: {@code -trackers.yaml} for trackers, else calls. */
    private static TargetSchema<?> schemaOf(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(TargetSchema.TRACKERS.suffix() + ".yaml") ? TargetSchema.TRACKERS : TargetSchema.CALLS;
    }

    /** The provider's call mapping ({@code <provider>.yaml}). */
    public CallMapping forProvider(String provider) {
        return new CallMapping(mapping(provider, TargetSchema.CALLS));
    }

    /** The provider's mapping of {@code schema} records, as its file is now (or was when last readable). */
    public <C extends Enum<C> & TargetColumn> RecordMapping<C> mapping(String provider, TargetSchema<C> schema) {
        String name = provider + schema.suffix() + ".yaml";
        Path file = directory.resolve(name);
        Loaded current = byFile.get(name);
        FileTime modified = modified(file);
        if (current != null && (modified == null || modified.equals(current.modified()))) {
            return cast(current.mapping(), schema);
        }
        if (modified == null) {
            throw new IllegalStateException("no mapping file " + file + " for provider " + provider);
        }
        try {
            RecordMapping<C> mapping = MappingFileParser.parse(file, schema);
            byFile.put(name, new Loaded(mapping, modified));
            LOG.info("Reloaded {}", file);
            return mapping;
        } catch (MappingFileException e) {
            if (current == null) {
                throw e;
            }
            LOG.error("Keeping the previous mapping for {}: {}", name, e.getMessage());
            byFile.put(name, new Loaded(current.mapping(), modified));
            return cast(current.mapping(), schema);
        }
    }

    /** Whether the provider has a mapping file of {@code schema}. */
    public boolean has(String provider, TargetSchema<?> schema) {
        return Files.isRegularFile(directory.resolve(provider + schema.suffix() + ".yaml"));
    }

    @SuppressWarnings("unchecked")
    private static <C extends Enum<C> & TargetColumn> RecordMapping<C> cast(RecordMapping<?> mapping,
            TargetSchema<C> schema) {
        if (mapping.schema() != schema) {
            throw new IllegalStateException("mapping of " + mapping.provider() + " is not of " + schema.kind());
        }
        return (RecordMapping<C>) mapping;
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }
}
