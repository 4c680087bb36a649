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
    private final Map<String, FileTime> unreadable = new ConcurrentHashMap<>();

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
        Loaded loaded = current(directory.resolve(name), schema);
        if (loaded == null) {
            throw new IllegalStateException("no mapping file " + directory.resolve(name) + " for provider " + provider);
        }
        return cast(loaded.mapping(), schema);
    }

    /**
     * Reads again every mapping file saved since it was last read (the mapping-files route calls this every
     * {@code dce.mappings.check-ms}), so a broken file is reported when it is saved, not when the next call of its
     * provider arrives. A file that does not parse leaves the previous mapping in use.
     */
    public void refresh() {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.yaml")) {
            for (Path file : files) {
                try {
                    current(file, schemaOf(file));
                } catch (MappingFileException e) {
                    // a new file that does not parse yet: said once per save
                    FileTime saved = modified(file);
                    if (saved != null && !saved.equals(unreadable.put(file.getFileName().toString(), saved))) {
                        LOG.error("Mapping file {} rejected: {}", file, e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("Mapping files in {} not looked at now: {}", directory, e.getMessage());
        }
    }

    private Loaded current(Path file, TargetSchema<?> schema) {
        String name = file.getFileName().toString();
        Loaded current = byFile.get(name);
        FileTime modified = modified(file);
        if (modified == null || current != null && modified.equals(current.modified())) {
            return current;
        }
        synchronized (this) {
            current = byFile.get(name);
            if (current != null && modified.equals(current.modified())) {
                return current;
            }
            try {
                Loaded read = new Loaded(MappingFileParser.parse(file, schema), modified);
                byFile.put(name, read);
                LOG.info("Mapping file {} accepted: in use from now on", file);
                return read;
            } catch (MappingFileException e) {
                if (current == null) {
                    throw e;
                }
                LOG.error("Mapping file {} rejected, the previous version stays in use: {}", file, e.getMessage());
                Loaded kept = new Loaded(current.mapping(), modified);
                byFile.put(name, kept);
                return kept;
            }
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
