package com.dce.etl.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.dce.etl.style.StyleSpec;

import io.vertx.core.http.HttpServerRequest;

/**
 * An HMAC of the raw body (or of a timestamp and the body) in a header, compared in constant time. The parameters
 * cover the common schemes: CallRail {@code hmac secret=dce.callrail.webhook-signing-key algorithm=sha1
 * header=Signature encoding=base64}; GitHub-like {@code algorithm=sha256 encoding=hex prefix=sha256=}; with a signed
 * timestamp, as Standard Webhooks does, {@code timestamp-header=X-Timestamp signed='{timestamp}.{body}'
 * tolerance-seconds=300}, which refuses a replay of an old request. A header may carry several signatures separated
 * by spaces (a key being rotated); one match is enough.
 */
public final class HmacAuth implements WebhookAuth {
    private static final Map<String, String> ALGORITHMS =
            Map.of("sha1", "HmacSHA1", "sha256", "HmacSHA256", "sha512", "HmacSHA512");

    private final String secretSetting;
    private final String algorithm;
    private final String header;
    private final boolean hex;
    private final String prefix;
    private final String timestampHeader;
    private final String signed;
    private final Duration tolerance;
    private final Clock clock;

    HmacAuth(String secretSetting, String algorithm, String header, boolean hex, String prefix, String timestampHeader,
            String signed, Duration tolerance, Clock clock) {
        this.secretSetting = secretSetting;
        this.algorithm = algorithm;
        this.header = header;
        this.hex = hex;
        this.prefix = prefix;
        this.timestampHeader = timestampHeader;
        this.signed = signed;
        this.tolerance = tolerance;
        this.clock = clock;
    }

    @Override
    public boolean verify(HttpServerRequest request, byte[] body, String secret) {
        String given = request.getHeader(header);
        String timestamp = timestampHeader == null ? null : request.getHeader(timestampHeader);
        return given != null && verify(given, timestamp, body, secret);
    }

    /** The check itself, on the header values. */
    boolean verify(String signatureHeader, String timestamp, byte[] body, String secret) {
        byte[] content;
        if (timestampHeader == null) {
            content = body;
        } else {
            if (timestamp == null || !fresh(timestamp.trim())) {
                return false;
            }
            String[] around = signed.split("\\{body}", -1);
            content = concat(around[0].replace("{timestamp}", timestamp.trim()).getBytes(StandardCharsets.UTF_8), body,
                    around.length > 1 ? around[1].replace("{timestamp}", timestamp.trim())
                            .getBytes(StandardCharsets.UTF_8) : new byte[0]);
        }
        byte[] expected = mac(secret, content);
        boolean matched = false;
        for (String candidate : signatureHeader.trim().split("\\s+")) {
            byte[] decoded = decode(candidate);
            // every candidate is compared, so the time taken does not tell which one matched
            matched |= decoded != null && SecretComparison.matches(expected, decoded);
        }
        return matched;
    }

    private boolean fresh(String timestamp) {
        try {
            long seconds = Long.parseLong(timestamp);
            long age = Math.abs(clock.instant().getEpochSecond() - seconds);
            return age <= tolerance.toSeconds();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private byte[] decode(String candidate) {
        if (!candidate.startsWith(prefix)) {
            return null;
        }
        String value = candidate.substring(prefix.length());
        try {
            return hex ? HexFormat.of().parseHex(value.toLowerCase()) : Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private byte[] mac(String secret, byte[] content) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.US_ASCII), algorithm));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
    }

    private static byte[] concat(byte[] head, byte[] body, byte[] tail) {
        byte[] all = new byte[head.length + body.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        System.arraycopy(tail, 0, all, head.length + body.length, tail.length);
        return all;
    }

    @Override
    public String secretSetting() {
        return secretSetting;
    }

    /**
     * {@code hmac secret= algorithm=sha1|sha256|sha512 header= encoding=base64|hex prefix= timestamp-header= signed=
     * tolerance-seconds=}.
     */
    public static final class Style implements WebhookAuthStyle {
        @Override
        public String name() {
            return "hmac";
        }

        @Override
        public WebhookAuth create(StyleSpec spec) {
            String algorithm = ALGORITHMS.get(spec.get("algorithm", "sha256"));
            if (algorithm == null) {
                throw spec.fail("algorithm must be sha1, sha256 or sha512");
            }
            String encoding = spec.get("encoding", "base64");
            if (!encoding.equals("base64") && !encoding.equals("hex")) {
                throw spec.fail("encoding must be base64 or hex");
            }
            String timestampHeader = spec.optional("timestamp-header").orElse(null);
            String signed = spec.get("signed", timestampHeader == null ? "{body}" : "{timestamp}.{body}");
            if (!signed.contains("{body}") || signed.indexOf("{body}") != signed.lastIndexOf("{body}")) {
                throw spec.fail("signed must hold {body} once");
            }
            if (signed.contains("{timestamp}") != (timestampHeader != null)) {
                throw spec.fail("signed names {timestamp} exactly when timestamp-header is set");
            }
            int tolerance = spec.getInt("tolerance-seconds", 300);
            return new HmacAuth(spec.require("secret"), algorithm, spec.get("header", "Signature"),
                    encoding.equals("hex"), spec.get("prefix", ""), timestampHeader, signed,
                    Duration.ofSeconds(tolerance), Clock.systemUTC());
        }
    }
}
