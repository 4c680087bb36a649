package com.dce.etl.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import com.dce.etl.support.Fixtures;

/** CallRail's documented signature test vector (PROVIDERS.md). */
class SignatureAuthenticatorTest {
    private static final String KEY = "072e77e426f92738a72fe23c4d1953b4";
    private static final String EXPECTED = "UZAHbUdfm3GqL7qzilGozGzWV64=";
    private final byte[] body = Fixtures.bytes("callrail/webhook-post-call.body");
    private final SignatureAuthenticator authenticator = new SignatureAuthenticator(KEY);

    @Test
    void documentedTestVectorPasses() {
        assertThat(body[body.length - 1]).as("the body has no trailing newline").isEqualTo((byte) '}');
        assertThat(Base64.getEncoder().encodeToString(authenticator.sign(body))).isEqualTo(EXPECTED);
        assertThat(authenticator.matches(EXPECTED, body)).isTrue();
    }

    @Test
    void tamperedBodyWrongKeyAndJunkHeadersFail() {
        byte[] tampered = Arrays.copyOf(body, body.length);
        tampered[10] = (byte) (tampered[10] ^ 1);
        assertThat(authenticator.matches(EXPECTED, tampered)).isFalse();
        assertThat(new SignatureAuthenticator(KEY + "0").matches(EXPECTED, body)).isFalse();
        assertThat(authenticator.matches(null, body)).isFalse();
        assertThat(authenticator.matches("not base64 !!", body)).isFalse();
        assertThat(authenticator.matches("", body)).isFalse();
    }
}
