package com.dce.etl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.dce.etl.config.EarlySetting;
import com.dce.etl.mapping.CallMapping;
import com.dce.etl.mapping.DceColumn;
import com.dce.etl.mapping.MappedCall;
import com.dce.etl.mapping.MappingCatalog;
import com.dce.etl.mapping.MappingFileException;
import com.dce.etl.mapping.RecordContext;
import com.dce.etl.mapping.RecordRejected;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code map --provider P FILE|-}: one provider record through today's mapping file, as a load would map it; prints
 * the DCE row, or why the record would be a dead letter. For trying a mapping edit before saving it where the service
 * reads it.
 */
@Command(name = "map", mixinStandardHelpOptions = true, description = {
        "Maps one provider record (a JSON file, or - for standard input) with the provider's mapping file and prints"
                + " the DCE row as JSON, or the reason it would be rejected. Exit 0: mapped; 1: rejected;"
                + " 2: no such mapping file or record file."})
public final class MapCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    private CommandSpec spec;

    @Option(names = "--provider", required = true, description = "whose mapping file: <mappings>/<provider>.yaml")
    private String provider;

    @Option(names = "--mappings", description = "the mapping files' directory (default: dce.mappings.dir, else"
            + " config/mappings)")
    private Path mappings;

    @Parameters(paramLabel = "FILE", description = "the record, as the provider sends it; - reads standard input")
    private String file;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String text;
        try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("dce-etl map: cannot read " + file + ": " + (e instanceof NoSuchFileException ? "no such file"
                    : e.getMessage()));
            return 2;
        }
        CallMapping mapping;
        try {
            mapping = MappingCatalog.load(mappings != null ? mappings : configuredDirectory()).forProvider(provider);
        } catch (MappingFileException | IllegalStateException e) {
            err.println("dce-etl map: " + e.getMessage());
            return 2;
        }
        try {
            JsonNode record = JSON.readTree(text);
            MappedCall call = mapping.map(record, text, new RecordContext("map", OffsetDateTime.now(ZoneOffset.UTC)));
            out.println(JSON.writeValueAsString(row(call)));
            return 0;
        } catch (RecordRejected rejected) {
            out.println("rejected " + rejected.reason() + ": " + rejected.getMessage());
            return 1;
        } catch (JsonProcessingException notJson) {
            out.println("rejected INVALID_JSON: " + notJson.getOriginalMessage());
            return 1;
        }
    }

    private static ObjectNode row(MappedCall call) {
        ObjectNode row = JSON.createObjectNode();
        for (DceColumn column : DceColumn.values()) {
            Object value = call.get(column);
            String name = column.columnName().toLowerCase(Locale.ROOT);
            if (value == null) {
                continue;
            } else if (value instanceof BigDecimal number) {
                row.put(name, number);
            } else if (value instanceof Boolean flag) {
                row.put(name, flag);
            } else if (value instanceof OffsetDateTime time) {
                row.put(name, DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time));
            } else if (value instanceof Integer || value instanceof Long) {
                row.put(name, ((Number) value).longValue());
            } else {
                row.put(name, value.toString());
            }
        }
        return row;
    }

    /** {@code dce.mappings.dir} as the service reads it. */
    private static Path configuredDirectory() throws IOException {
        return Path.of(EarlySetting.find("dce.mappings.dir").orElse("config/mappings"));
    }
}
