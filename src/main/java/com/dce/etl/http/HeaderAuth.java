package com.dce.etl.http;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.dce.etl.config.Settings;
import com.dce.etl.style.StyleSpec;

/**
 * A header whose value is a template with settings in braces. CallRail:
 * {@code header name=Authorization value='Token token="{dce.callrail.api-key}"'}; Ringba:
 * {@code header value='Token {dce.ringba.api-token}'}.
 */
public final class HeaderAuth implements ApiAuth {
    private static final Pattern SETTING = Pattern.compile("\\{(dce\\.[a-z0-9.-]+)}");

    private final String name;
    private final String template;
    private final List<String> settings;

    private HeaderAuth(String name, String template, List<String> settings) {
        this.name = name;
        this.template = template;
        this.settings = settings;
    }

    @Override
    public ProviderRequest apply(ProviderRequest request, Settings values) {
        Matcher setting = SETTING.matcher(template);
        StringBuilder value = new StringBuilder();
        while (setting.find()) {
            setting.appendReplacement(value, Matcher.quoteReplacement(values.require(setting.group(1))));
        }
        setting.appendTail(value);
        return request.withHeader(name, value.toString());
    }

    @Override
    public List<String> settings() {
        return settings;
    }

    /** {@code header name=Authorization value='...{dce.setting}...'}. */
    public static final class Style implements ApiAuthStyle {
        @Override
        public String name() {
            return "header";
        }

        @Override
        public ApiAuth create(StyleSpec spec) {
            String template = spec.require("value");
            List<String> settings = new ArrayList<>();
            Matcher setting = SETTING.matcher(template);
            while (setting.find()) {
                settings.add(setting.group(1));
            }
            if (settings.isEmpty()) {
                throw spec.fail("value= names no setting in braces, e.g. 'Token {dce.acme.api-key}': a secret"
                        + " written into a routes file would be stored and shown");
            }
            return new HeaderAuth(spec.get("name", "Authorization"), template, List.copyOf(settings));
        }
    }
}
