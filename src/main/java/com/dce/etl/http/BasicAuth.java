package com.dce.etl.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import com.dce.etl.config.Settings;
import com.dce.etl.style.StyleSpec;

/** {@code Authorization: Basic base64(user:password)}. TrackDrive: {@code basic user=<setting> password=<setting>}. */
public final class BasicAuth implements ApiAuth {
    private final String userSetting;
    private final String passwordSetting;

    private BasicAuth(String userSetting, String passwordSetting) {
        this.userSetting = userSetting;
        this.passwordSetting = passwordSetting;
    }

    @Override
    public ProviderRequest apply(ProviderRequest request, Settings settings) {
        String pair = settings.require(userSetting) + ":" + settings.require(passwordSetting);
        return request.withHeader("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public List<String> settings() {
        return List.of(userSetting, passwordSetting);
    }

    /** {@code basic user= password=}: the settings holding each. */
    public static final class Style implements ApiAuthStyle {
        @Override
        public String name() {
            return "basic";
        }

        @Override
        public ApiAuth create(StyleSpec spec) {
            return new BasicAuth(spec.require("user"), spec.require("password"));
        }
    }
}
