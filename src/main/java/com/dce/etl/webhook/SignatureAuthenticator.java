package com.dce.etl.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.vertx.core.http.HttpServerRequest;

/** CallRail's scheme: header {@code Signature} = base64(HMAC-SHA1(signing key as ASCII, raw request body)). */
public final class SignatureAuthenticator implements WebhookAuthenticator {
    static final String HEADER = "Signature";

    private final SecretKeySpec key;

    public SignatureAuthenticator(String signingKey) {
        this.key = new SecretKeySpec(signingKey.getBytes(StandardCharsets.US_ASCII), "HmacSHA1");
    }

    @Override
    public boolean verify(HttpServerRequest request, byte[] body) {
        return matches(request.getHeader(HEADER), body);
    }

    /** Whether {@code signatureHeader} is the signature of {@code body}; compared in constant time. */
    public boolean matches(String signatureHeader, byte[] body) {
        if (signatureHeader == null) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(signatureHeader.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return SecretComparison.matches(sign(body), given);
    }

    /** The signature of {@code body}, raw bytes. */
    public byte[] sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(key);
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
        }
    }
}
