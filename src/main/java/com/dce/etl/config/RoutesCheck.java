package com.dce.etl.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.PropertyBindingSupport;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Checks the routes files before Camel creates their routes, at start-up and before a reload: each file must be YAML,
 * each {@code templatedRoute} must name a route template and give it known parameters, all it requires, and values
 * its beans accept ({@link Declared#validate}, bound the way Camel binds them). A mistake is reported in one line
 * with the file, the route and the parameter: {@code routes/trackdrive.camel.yaml: trackdrive-calls-poll: schedule:
 * '0 0/5 * *' (from {{dce.trackdrive.poll-cron}}) is not a Quartz cron expression}.
 */
public final class RoutesCheck {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{\\{([A-Za-z0-9_.-]+)}}");

    private final CamelContext context;
    private final String patterns;

    /** {@code patterns}: the routes files, as Camel's {@code camel.main.routes-include-pattern} gives them. */
    public RoutesCheck(CamelContext context, String patterns) {
        this.context = context;
        this.patterns = patterns;
    }

    private record Template(String id, Map<String, JsonNode> parameters, JsonNode beans) {
    }

    private record Declaration(String file, String routeId, String templateId, Map<String, String> values) {
    }

    /** Throws {@link ConfigurationException} naming the file, the route and the reason at the first mistake. */
    public void check() {
        Map<String, Template> templates = new LinkedHashMap<>();
        List<Declaration> declarations = new ArrayList<>();
        for (Resource resource : resources()) {
            read(resource, templates, declarations);
        }
        for (Declaration declaration : declarations) {
            check(declaration, templates);
        }
    }

    /**
     * The routes files, those declaring route templates first: Camel makes a declaration's routes as soon as it reads
     * the declaration, so its template must be there by then.
     */
    public List<Resource> resourcesTemplatesFirst() {
        List<Resource> ordered = new ArrayList<>(resources());
        ordered.sort(java.util.Comparator.comparing(resource -> !declaresTemplates(resource)));
        return ordered;
    }

    private static boolean declaresTemplates(Resource resource) {
        Map<String, Template> templates = new LinkedHashMap<>();
        read(resource, templates, new ArrayList<>());
        return !templates.isEmpty();
    }

    /** The routes files, as Camel loads them. */
    private List<Resource> resources() {
        List<Resource> found = new ArrayList<>();
        for (String pattern : patterns.split(",")) {
            if (pattern.isBlank()) {
                continue;
            }
            try {
                found.addAll(PluginHelper.getPackageScanResourceResolver(context).findResources(pattern.trim()));
            } catch (Exception e) {
                throw new ConfigurationException("camel.main.routes-include-pattern: cannot list " + pattern.trim()
                        + ": " + e.getMessage());
            }
        }
        return found;
    }

    private static void read(Resource resource, Map<String, Template> templates, List<Declaration> declarations) {
        String file = name(resource);
        JsonNode root;
        try (InputStream in = resource.getInputStream()) {
            root = YAML.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ConfigurationException(file + ": " + (at == null ? "" : "line " + at.getLineNr() + ", column "
                    + at.getColumnNr() + ": ") + "not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigurationException(file + ": cannot be read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            return;
        }
        if (!root.isArray()) {
            throw new ConfigurationException(file + ": must be a YAML list of routes, templates and declarations");
        }
        for (JsonNode entry : root) {
            JsonNode template = entry.has("routeTemplate") ? entry.get("routeTemplate") : entry.get("template");
            if (template != null) {
                Map<String, JsonNode> parameters = new LinkedHashMap<>();
                template.path("parameters").forEach(parameter -> parameters.put(parameter.path("name").asText(),
                        parameter));
                templates.put(template.path("id").asText(), new Template(template.path("id").asText(), parameters,
                        template.path("beans")));
            }
            JsonNode declared = entry.get("templatedRoute");
            if (declared != null) {
                Map<String, String> values = new LinkedHashMap<>();
                for (JsonNode parameter : declared.path("parameters")) {
                    String name = parameter.path("name").asText();
                    if (values.put(name, parameter.path("value").asText()) != null) {
                        throw new ConfigurationException(file + ": " + routeName(declared) + ": parameter " + name
                                + " is given twice");
                    }
                }
                declarations.add(new Declaration(file, routeName(declared), declared.path("routeTemplateRef").asText(),
                        values));
            }
        }
    }

    private void check(Declaration declaration, Map<String, Template> templates) {
        String where = declaration.file() + ": " + declaration.routeId() + ": ";
        Template template = templates.get(declaration.templateId());
        if (template == null) {
            throw new ConfigurationException(where + "routeTemplateRef: no route template '" + declaration.templateId()
                    + "' (known: " + String.join(", ", new TreeSet<>(templates.keySet())) + ")");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> given : declaration.values().entrySet()) {
            if (!template.parameters().containsKey(given.getKey())) {
                throw new ConfigurationException(where + "parameter '" + given.getKey() + "' is not one of template "
                        + template.id() + "'s (known: " + String.join(", ", template.parameters().keySet()) + ")");
            }
            values.put(given.getKey(), given.getValue());
        }
        for (Map.Entry<String, JsonNode> parameter : template.parameters().entrySet()) {
            JsonNode defaultValue = parameter.getValue().get("defaultValue");
            boolean required = parameter.getValue().path("required").asBoolean(defaultValue == null);
            if (!values.containsKey(parameter.getKey())) {
                if (defaultValue != null) {
                    values.put(parameter.getKey(), defaultValue.asText());
                } else if (required) {
                    throw new ConfigurationException(where + parameter.getKey() + ": is required by template "
                            + template.id());
                }
            }
        }
        for (JsonNode bean : template.beans()) {
            checkBean(bean, values, declaration, where);
        }
    }

    /** Makes the template's bean as Camel would, from the declaration's values, and lets it check them. */
    private void checkBean(JsonNode bean, Map<String, String> values, Declaration declaration, String where) {
        String type = bean.path("type").asText().replaceFirst("^#class:", "");
        Object made;
        try {
            made = context.getClassResolver().resolveMandatoryClass(type).getDeclaredConstructor().newInstance();
        } catch (Exception e) {
            throw new ConfigurationException(where + "bean " + bean.path("name").asText() + ": cannot make " + type
                    + ": " + e);
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = bean.path("properties").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> property = it.next();
            properties.put(property.getKey(), substitute(property.getValue().asText(), values));
        }
        try {
            PropertyBindingSupport.build().withCamelContext(context).withTarget(made).withProperties(properties)
                    .withRemoveParameters(false).withMandatory(true).bind();
        } catch (RuntimeException e) {
            throw new ConfigurationException(where + "a parameter has a value of the wrong kind: "
                    + rootMessage(e));
        }
        if (made instanceof Declared declared) {
            try {
                declared.validate();
            } catch (DeclarationError e) {
                String raw = declaration.values().get(e.parameter());
                String from = raw == null ? "" : settingsIn(raw);
                throw new ConfigurationException(where + e.parameter() + ": " + e.reason() + from);
            } catch (ConfigurationException e) {
                throw new ConfigurationException(where + e.getMessage());
            }
        }
    }

    /** " (set by dce.x)" when the parameter's value comes from settings, so the key to fix is named. */
    private static String settingsIn(String raw) {
        Set<String> keys = new TreeSet<>();
        Matcher setting = TEMPLATE_PARAMETER.matcher(raw);
        while (setting.find()) {
            keys.add(setting.group(1));
        }
        return keys.isEmpty() ? "" : " (set by " + String.join(", ", keys) + ")";
    }

    /** The template's {@code {{parameter}}} references replaced by the declaration's values; others left to Camel. */
    private static String substitute(String text, Map<String, String> values) {
        Matcher reference = TEMPLATE_PARAMETER.matcher(text);
        StringBuilder result = new StringBuilder();
        while (reference.find()) {
            String value = values.get(reference.group(1));
            reference.appendReplacement(result, Matcher.quoteReplacement(value != null ? value : reference.group()));
        }
        reference.appendTail(result);
        return result.toString();
    }

    private static String routeName(JsonNode declared) {
        String routeId = declared.path("routeId").asText("");
        return routeId.isEmpty() ? "templatedRoute of " + declared.path("routeTemplateRef").asText() : routeId;
    }

    private static String name(Resource resource) {
        String location = resource.getLocation();
        return location.startsWith("file:") ? location.substring(5) : location;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
