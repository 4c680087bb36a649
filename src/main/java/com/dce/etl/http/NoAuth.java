package com.dce.etl.http;

import java.util.List;

import com.dce.etl.config.Settings;
import com.dce.etl.style.StyleSpec;

/** No credentials: an open endpoint, or one a proxy authenticates. */
public final class NoAuth implements ApiAuth {

    @Override
    public ProviderRequest apply(ProviderRequest request, Settings settings) {
        return request;
    }

    @Override
    public List<String> settings() {
        return List.of();
    }

    /** {@code none}. */
    public static final class Style implements ApiAuthStyle {
        @Override
        public String name() {
            return "none";
        }

        @Override
        public ApiAuth create(StyleSpec spec) {
            return new NoAuth();
        }
    }
}
