package com.dce.etl.mapping;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.dce.etl.mapping.transform.BooleanTransform;
import com.dce.etl.mapping.transform.DecimalTransform;
import com.dce.etl.mapping.transform.IdTransform;
import com.dce.etl.mapping.transform.JsonObjectTransform;
import com.dce.etl.mapping.transform.PhoneTransform;
import com.dce.etl.mapping.transform.PhonesTransform;
import com.dce.etl.mapping.transform.SecondsTransform;
import com.dce.etl.mapping.transform.StatusTransform;
import com.dce.etl.mapping.transform.TextTransform;
import com.dce.etl.mapping.transform.TimestampTransform;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads and checks a mapping file: {@code config/mappings/<provider>.yaml} for calls, {@code <provider>-trackers.yaml}
 * for trackers (see {@link TargetSchema}). Every mistake a data engineer can make in one (unknown column, transform or
 * option, a status outside the DCE vocabulary, no key column) is reported with the file, the key and the reason, so a
 * bad file stops start-up instead of silently dropping data.
 */
public final class MappingFileParser {
    static final List<String> TRANSFORMS =
            List.of("text", "id", "phone", "phones", "timestamp", "decimal", "boolean", "seconds", "status",
                    "json_object");
    private static final Set<String> TOP_LEVEL_KEYS =
            Set.of("provider", "unwrap", "phone-region", "timezone", "columns", "statuses");
    private static final Set<String> RULE_KEYS = Set.of("from", "value", "cases", "transform");
    private static final Map<String, Set<String>> TRANSFORM_OPTIONS = Map.of(
            "phone", Set.of("region"), "phones", Set.of("region"), "timestamp", Set.of("zone"),
            "json_object", Set.of("split"));

    private static final YAMLMapper YAML = new YAMLMapper();

    private final String file;

    private MappingFileParser(String file) {
        this.file = file;
    }

    /** A call mapping file. */
    public static CallMapping parse(Path path) {
        return new CallMapping(parse(path, TargetSchema.CALLS));
    }

    public static <C extends Enum<C> & TargetColumn> RecordMapping<C> parse(Path path, TargetSchema<C> schema) {
        String file = path.toString();
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(path));
        } catch (IOException e) {
            throw new MappingFileException(file, "", "cannot be read as YAML: " + yamlProblem(e));
        }
        String fileName = path.getFileName().toString();
        String expectedProvider = fileName.substring(0, fileName.length() - (schema.suffix() + ".yaml").length());
        return new MappingFileParser(file).parse(root, expectedProvider, schema);
    }

    private <C extends Enum<C> & TargetColumn> RecordMapping<C> parse(JsonNode root, String expectedProvider,
            TargetSchema<C> schema) {
        if (root == null || !root.isObject()) {
            throw fail("", "must be a YAML mapping with provider, columns and statuses");
        }
        root.fieldNames().forEachRemaining(key -> {
            if (!TOP_LEVEL_KEYS.contains(key)) {
                throw fail(key, "unknown key (known: " + String.join(", ", sorted(TOP_LEVEL_KEYS)) + ")");
            }
        });
        String provider = text(root, "provider");
        if (!expectedProvider.equals(provider)) {
            throw fail("provider", "is '" + provider + "' but the file is named " + expectedProvider
                    + schema.suffix() + ".yaml");
        }
        List<String> unwrap = stringList(root.get("unwrap"), "unwrap");
        String region = root.has("phone-region") ? text(root, "phone-region") : "US";
        ZoneId zone = root.has("timezone") ? zone(text(root, "timezone"), "timezone") : ZoneId.of("UTC");
        Map<String, String> statuses = statuses(root.get("statuses"));
        List<ColumnRule> rules = columns(root.get("columns"), schema, provider, region, zone, statuses);
        List<C> keyColumns = java.util.Arrays.stream(schema.columns().getEnumConstants())
                .filter(column -> schema.keyRule().test(Set.of(column)))
                .toList();
        return new RecordMapping<>(provider, schema, unwrap, zone, rules, keyColumns);
    }

    private <C extends Enum<C> & TargetColumn> List<ColumnRule> columns(JsonNode columns, TargetSchema<C> schema,
            String provider, String region, ZoneId zone, Map<String, String> statuses) {
        if (columns == null || !columns.isObject() || columns.isEmpty()) {
            throw fail("columns", "is required: a map of " + schema.kind() + " column to source field");
        }
        List<ColumnRule> rules = new ArrayList<>();
        Set<C> mapped = java.util.EnumSet.noneOf(schema.columns());
        for (Iterator<Map.Entry<String, JsonNode>> it = columns.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = "columns." + entry.getKey();
            C column = schema.column(entry.getKey()).orElseThrow(() -> fail(key, "unknown "
                    + (schema.kind().equals(TargetSchema.CALLS.kind()) ? "DCE" : schema.kind()) + " column (known: "
                    + schema.knownColumns() + ")"));
            mapped.add(column);
            rules.add(rule(key, column, entry.getValue(), provider, region, zone, statuses));
        }
        if (!schema.keyRule().test(mapped)) {
            throw fail("columns", schema.keyNeed());
        }
        return rules;
    }

    private ColumnRule rule(String key, TargetColumn column, JsonNode spec, String provider, String region, ZoneId zone,
            Map<String, String> statuses) {
        if (spec.isTextual()) {
            FieldTransform transform = transform(key, column, column.defaultTransform(), null, provider, region, zone,
                    statuses);
            return new ColumnRule(column, List.of(source(spec.asText(), key)), List.of(), null, transform);
        }
        if (!spec.isObject()) {
            throw fail(key, "must be a source field name or a map with from/value and transform");
        }
        String transformName =
                spec.has("transform") ? text(spec, "transform", key + ".transform") : column.defaultTransform();
        Set<String> options = TRANSFORM_OPTIONS.getOrDefault(transformName, Set.of());
        spec.fieldNames().forEachRemaining(field -> {
            if (!RULE_KEYS.contains(field) && !options.contains(field)) {
                throw fail(key + "." + field, "unknown option for transform " + transformName
                        + (options.isEmpty() ? " (it takes none)" : " (it takes: " + String.join(", ", options) + ")"));
            }
        });
        boolean hasFrom = spec.has("from");
        boolean hasCases = spec.has("cases");
        boolean hasValue = spec.has("value");
        if (hasValue == (hasFrom || hasCases)) {
            throw fail(key, "needs either 'from' (source fields) and/or 'cases', or 'value' (a constant)");
        }
        FieldTransform transform = transform(key, column, transformName, spec, provider, region, zone, statuses);
        if (hasValue) {
            JsonNode constant = spec.get("value");
            checkValue(transform, constant, key + ".value");
            return new ColumnRule(column, List.of(), List.of(), constant, transform);
        }
        List<SourcePath> sources = sources(spec.get("from"), key + ".from");
        if (hasFrom && sources.isEmpty()) {
            throw fail(key + ".from", "names no source field");
        }
        if (hasCases && transform.collectsAllSources()) {
            throw fail(key + ".cases", "transform " + transformName + " collects its sources; cases do not apply");
        }
        List<ColumnRule.Case> cases = hasCases ? cases(spec.get("cases"), key + ".cases", transform) : List.of();
        return new ColumnRule(column, sources, cases, null, transform);
    }

    private List<SourcePath> sources(JsonNode from, String key) {
        return stringList(from, key).stream().map(field -> source(field, key)).toList();
    }

    /** A source field; a name starting with $ must be one of the pipeline's own fields. */
    private SourcePath source(String field, String key) {
        SourcePath path = SourcePath.parse(field);
        if (path.isPipelineField() && !SourcePath.PIPELINE_FIELDS.contains(field)) {
            throw fail(key, "unknown pipeline field '" + field + "' (known: "
                    + String.join(", ", sorted(SourcePath.PIPELINE_FIELDS)) + ")");
        }
        return path;
    }

    private List<ColumnRule.Case> cases(JsonNode list, String key, FieldTransform transform) {
        String shape = "must be a list of {when: {field: value, ...}, value: ...} or {when: ..., from: field(s)}";
        if (!list.isArray() || list.isEmpty()) {
            throw fail(key, shape);
        }
        List<ColumnRule.Case> cases = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String caseKey = key + "[" + i + "]";
            JsonNode option = list.get(i);
            JsonNode when = option.get("when");
            if (!option.isObject() || option.size() != 2 || when == null || !when.isObject() || when.isEmpty()
                    || option.has("value") == option.has("from")) {
                throw fail(caseKey, "must be {when: {field: value, ...}, value: ...} or {when: ..., from: field(s)}");
            }
            Map<SourcePath, String> conditions = new LinkedHashMap<>();
            when.fields().forEachRemaining(condition -> {
                if (!condition.getValue().isValueNode()) {
                    throw fail(caseKey + ".when." + condition.getKey(), "must be a text, number, boolean or null");
                }
                conditions.put(source(condition.getKey(), caseKey + ".when"),
                        condition.getValue().isNull() ? null : condition.getValue().asText());
            });
            if (option.has("from")) {
                List<SourcePath> from = sources(option.get("from"), caseKey + ".from");
                if (from.isEmpty()) {
                    throw fail(caseKey + ".from", "names no source field");
                }
                cases.add(new ColumnRule.Case(conditions, null, from));
                continue;
            }
            checkValue(transform, option.get("value"), caseKey + ".value");
            cases.add(new ColumnRule.Case(conditions, option.get("value"), List.of()));
        }
        return cases;
    }

    private void checkValue(FieldTransform transform, JsonNode value, String key) {
        try {
            transform.apply(value);
        } catch (ValueRejected e) {
            throw fail(key, e.getMessage());
        }
    }

    private FieldTransform transform(String key, TargetColumn column, String name, JsonNode spec, String provider,
            String region, ZoneId zone, Map<String, String> statuses) {
        FieldTransform transform = switch (name) {
            case "text" -> new TextTransform();
            case "id" -> new IdTransform();
            case "phone" -> phone(key, option(spec, key, "region", region));
            case "phones" -> new PhonesTransform(phone(key, option(spec, key, "region", region)));
            case "timestamp" -> new TimestampTransform(
                    spec != null && spec.has("zone") ? zone(text(spec, "zone", key + ".zone"), key + ".zone") : zone);
            case "decimal" -> new DecimalTransform();
            case "boolean" -> new BooleanTransform();
            case "seconds" -> new SecondsTransform();
            case "status" -> {
                if (statuses.isEmpty()) {
                    throw fail(key, "uses transform status but the file has no statuses table");
                }
                yield new StatusTransform(provider, statuses);
            }
            case "json_object" -> new JsonObjectTransform(option(spec, key, "split", null));
            default -> throw fail(key + ".transform",
                    "unknown transform '" + name + "' (known: " + String.join(", ", TRANSFORMS) + ")");
        };
        if (transform.output() != column.type()) {
            throw fail(key + ".transform", "transform " + name + " produces " + transform.output().name().toLowerCase()
                    + " but " + column.columnName() + " holds " + column.type().name().toLowerCase());
        }
        return transform;
    }

    private PhoneTransform phone(String key, String region) {
        try {
            return new PhoneTransform(region);
        } catch (IllegalArgumentException e) {
            throw fail(key + ".region", e.getMessage());
        }
    }

    private Map<String, String> statuses(JsonNode table) {
        Map<String, String> statuses = new LinkedHashMap<>();
        if (table == null) {
            return statuses;
        }
        if (!table.isObject()) {
            throw fail("statuses", "must map provider status words to DCE statuses");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = table.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String status = entry.getValue().asText();
            if (!entry.getValue().isTextual() || !StatusVocabulary.ALL.contains(status)) {
                throw fail("statuses." + entry.getKey(), "'" + status + "' is not a DCE status (known: "
                        + String.join(", ", sorted(StatusVocabulary.ALL)) + ")");
            }
            statuses.put(entry.getKey(), status);
        }
        return statuses;
    }

    private String option(JsonNode spec, String key, String name, String fallback) {
        return spec != null && spec.has(name) ? text(spec, name, key + "." + name) : fallback;
    }

    private String text(JsonNode node, String field) {
        return text(node, field, field);
    }

    private String text(JsonNode node, String field, String key) {
        JsonNode value = node.get(field);
        if (value == null || !value.isValueNode() || value.isNull() || value.asText().isBlank()) {
            throw fail(key, "must be a non-empty text value");
        }
        return value.asText();
    }

    private List<String> stringList(JsonNode node, String key) {
        List<String> values = new ArrayList<>();
        if (node == null) {
            return values;
        }
        if (node.isTextual()) {
            values.add(node.asText());
            return values;
        }
        if (!node.isArray()) {
            throw fail(key, "must be a field name or a list of field names");
        }
        for (JsonNode element : node) {
            if (!element.isTextual() || element.asText().isBlank()) {
                throw fail(key, "must list field names as text");
            }
            values.add(element.asText());
        }
        return values;
    }

    private ZoneId zone(String name, String key) {
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            throw fail(key, "unknown time zone '" + name + "' (use e.g. UTC or America/New_York)");
        }
    }

    private MappingFileException fail(String key, String reason) {
        return new MappingFileException(file, key, reason);
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    /** Where the YAML breaks and why, as SnakeYAML tells it: "line 3, column 4: expected ... (while parsing ...)". */
    private static String yamlProblem(IOException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            String where = "line " + (marked.getProblemMark().getLine() + 1) + ", column "
                    + (marked.getProblemMark().getColumn() + 1) + ": " + marked.getProblem();
            if (marked.getContext() == null) {
                return where;
            }
            Mark start = marked.getContextMark();
            return where + " (" + marked.getContext() + (start == null ? "" : " that starts at line "
                    + (start.getLine() + 1) + ", column " + (start.getColumn() + 1)) + ")";
        }
        if (e instanceof JsonProcessingException json && json.getLocation() != null) {
            return "line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr() + ": "
                    + firstLine(json.getOriginalMessage());
        }
        return firstLine(e.getMessage());
    }
}
