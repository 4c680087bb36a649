package com.dce.etl.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.dce.etl.config.Settings;
import com.dce.etl.http.ProviderRequest.Place;
import com.dce.etl.style.StyleSpec;

/**
 * Credentials as query parameters, each from a setting. Retreaver:
 * {@code query api_key=dce.retreaver.api-key company_id=dce.retreaver.company-id}.
 */
public final class QueryAuth implements ApiAuth {
    private final Map<String, String> parameters;

    private QueryAuth(Map<String, String> parameters) {
        this.parameters = parameters;
    }

    @Override
    public ProviderRequest apply(ProviderRequest request, Settings settings) {
        ProviderRequest sent = request;
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            sent = sent.with(Place.QUERY, parameter.getKey(), settings.require(parameter.getValue()));
        }
        return sent;
    }

    @Override
    public List<String> settings() {
        return List.copyOf(parameters.values());
    }

    @Override
    public ProviderRequest withoutCredentials(ProviderRequest request) {
        return request.withUri(QueryStrings.without(request.uri(), parameters.keySet()));
    }

    /** {@code query <parameter>=<setting> ...}. */
    public static final class Style implements ApiAuthStyle {
        @Override
        public String name() {
            return "query";
        }

        @Override
        public ApiAuth create(StyleSpec spec) {
            Map<String, String> parameters = new LinkedHashMap<>();
            spec.parameters().keySet().forEach(name -> parameters.put(name, spec.require(name)));
            if (parameters.isEmpty()) {
                throw spec.fail("names no parameter, e.g. api_key=dce.acme.api-key");
            }
            return new QueryAuth(parameters);
        }
    }
}
