package com.dce.etl.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signatures as providers compute them, for signing test webhooks independently of the service's own code. */
public final class Signatures {
    private Signatures() {
    }

    /** base64(HMAC-SHA1(key, body)): CallRail's Signature header. */
    public static String callrail(String key, byte[] body) {
        return Base64.getEncoder().encodeToString(hmac("HmacSHA1", key, body));
    }

    /** hex(HMAC-SHA256(key, content)). */
    public static String sha256Hex(String key, byte[] content) {
        return HexFormat.of().formatHex(hmac("HmacSHA256", key, content));
    }

    private static byte[] hmac(String algorithm, String key, byte[] content) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.US_ASCII), algorithm));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
