package com.dce.etl.webhook;

import java.util.List;
import java.util.Optional;

import com.dce.etl.config.Settings;
import com.dce.etl.style.Style;
import com.dce.etl.style.Styles;

import io.vertx.core.http.HttpServerRequest;

/**
 * How a provider's webhooks prove they come from it, as its declaration configures it; checked in constant time
 * before the body is decoded or stored. The secret is named by its setting. Styles: {@code token}, {@code hmac}.
 */
public interface WebhookAuth {

    Styles<WebhookAuthStyle, WebhookAuth> STYLES = Styles.of("webhook authentication", WebhookAuthStyle.class);

    /** A webhook authentication style, listed in META-INF/services/com.dce.etl.webhook.WebhookAuth$WebhookAuthStyle. */
    interface WebhookAuthStyle extends Style<WebhookAuth> {
    }

    /** Whether the request carries the provider's secret; {@code secret} is the setting's value. */
    boolean verify(HttpServerRequest request, byte[] body, String secret);

    /** The setting that holds the secret; the endpoint is off while it is empty. */
    String secretSetting();

    /** URL or form parameters that carry the secret: never stored, whatever their letter case. */
    default List<String> secretParameters() {
        return List.of();
    }

    default Optional<String> secret(Settings settings) {
        return settings.find(secretSetting());
    }
}
