package com.dce.etl.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import com.dce.etl.config.ConfigurationException;
import com.dce.etl.support.Fixtures;
import com.dce.etl.support.Signatures;

/** The hmac webhook style: CallRail's documented vector, hex and prefixed signatures, signed timestamps. */
class HmacAuthTest {
    private static final String KEY = "072e77e426f92738a72fe23c4d1953b4";
    private static final String EXPECTED = "UZAHbUdfm3GqL7qzilGozGzWV64=";
    private final byte[] body = Fixtures.bytes("callrail/webhook-post-call.body");
    private final HmacAuth callrail = (HmacAuth) WebhookAuth.STYLES.create("auth",
            "hmac secret=dce.callrail.webhook-signing-key algorithm=sha1 header=Signature encoding=base64");

    @Test
    void documentedCallRailTestVectorPasses() {
        assertThat(body[body.length - 1]).as("the body has no trailing newline").isEqualTo((byte) '}');
        assertThat(Signatures.callrail(KEY, body)).isEqualTo(EXPECTED);
        assertThat(callrail.verify(EXPECTED, null, body, KEY)).isTrue();
        assertThat(callrail.secretSetting()).isEqualTo("dce.callrail.webhook-signing-key");
    }

    @Test
    void tamperedBodyWrongKeyAndJunkHeadersFail() {
        byte[] tampered = Arrays.copyOf(body, body.length);
        tampered[10] = (byte) (tampered[10] ^ 1);
        assertThat(callrail.verify(EXPECTED, null, tampered, KEY)).isFalse();
        assertThat(callrail.verify(EXPECTED, null, body, KEY + "0")).isFalse();
        assertThat(callrail.verify("not base64 !!", null, body, KEY)).isFalse();
        assertThat(callrail.verify("", null, body, KEY)).isFalse();
    }

    @Test
    void hexWithAPrefixAndOneOfSeveralSignatures() {
        HmacAuth github = (HmacAuth) WebhookAuth.STYLES.create("auth",
                "hmac secret=dce.acme.secret algorithm=sha256 header=X-Hub-Signature-256 encoding=hex prefix=sha256=");
        String right = "sha256=" + Signatures.sha256Hex("s3cret", body);
        assertThat(github.verify(right, null, body, "s3cret")).isTrue();
        assertThat(github.verify(right.toUpperCase().replace("SHA256=", "sha256="), null, body, "s3cret")).isTrue();
        assertThat(github.verify("sha256=00ff " + right, null, body, "s3cret")).as("a key being rotated").isTrue();
        assertThat(github.verify(right.substring(7), null, body, "s3cret")).as("without its prefix").isFalse();
    }

    @Test
    void aSignedTimestampMustBeFreshAndSigned() {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1_800_000_000L), ZoneOffset.UTC);
        HmacAuth stamped = new HmacAuth("dce.acme.secret", "HmacSHA256", "Signature", true, "", "X-Timestamp",
                "{timestamp}.{body}", Duration.ofMinutes(5), clock);
        byte[] signed = ("1800000000." + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        String signature = Signatures.sha256Hex("s3cret", signed);
        assertThat(stamped.verify(signature, "1800000000", body, "s3cret")).isTrue();
        assertThat(stamped.verify(signature, "1800000100", body, "s3cret")).as("another timestamp").isFalse();
        assertThat(stamped.verify(signature, null, body, "s3cret")).as("no timestamp").isFalse();
        byte[] old = ("1799999000." + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        assertThat(stamped.verify(Signatures.sha256Hex("s3cret", old), "1799999000", body, "s3cret"))
                .as("older than the tolerance: a replay").isFalse();
    }

    @Test
    void badDeclarationsNameTheParameter() {
        assertThatThrownBy(() -> WebhookAuth.STYLES.create("auth", "hmac secret=x algorithm=md5"))
                .isInstanceOf(ConfigurationException.class).hasMessage("auth: hmac: algorithm must be sha1, sha256 or sha512");
        assertThatThrownBy(() -> WebhookAuth.STYLES.create("auth", "hmac secret=x encodng=hex"))
                .hasMessageContaining("auth: hmac: unknown parameter 'encodng'");
        assertThatThrownBy(() -> WebhookAuth.STYLES.create("auth", "hmac algorithm=sha1"))
                .hasMessage("auth: hmac: secret= is required");
        assertThatThrownBy(() -> WebhookAuth.STYLES.create("auth", "signature secret=x"))
                .hasMessage("auth: unknown webhook authentication style 'signature' (known: hmac, token)");
    }
}
