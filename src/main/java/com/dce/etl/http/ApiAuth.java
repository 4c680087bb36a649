package com.dce.etl.http;

import java.util.List;

import com.dce.etl.config.Settings;
import com.dce.etl.style.Style;
import com.dce.etl.style.Styles;

/**
 * How requests to a provider's API carry its credentials, as the declaration configures it. Credentials are named by
 * the settings that hold them ({@code dce.trackdrive.public-key}), read when a request is sent: they never appear in a
 * routes file, a stored position or a log. Styles: {@code basic}, {@code header}, {@code query}, {@code none}.
 */
public interface ApiAuth {

    Styles<ApiAuthStyle, ApiAuth> STYLES = Styles.of("API authentication", ApiAuthStyle.class);

    /** An API authentication style, listed in META-INF/services/com.dce.etl.http.ApiAuth$ApiAuthStyle. */
    interface ApiAuthStyle extends Style<ApiAuth> {
    }

    /** The request as sent: with the credentials from {@code settings}. */
    ProviderRequest apply(ProviderRequest request, Settings settings);

    /** The settings that must be set for requests to carry credentials. */
    List<String> settings();

    /** The request without anything {@link #apply} adds, for what is stored or logged (a next-page URL echoes them). */
    default ProviderRequest withoutCredentials(ProviderRequest request) {
        return request;
    }
}
