package com.dce.etl.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * {@code Authorization: Basic <user:password>} whose password is the expected secret (any user name), compared in
 * constant time: how a browser, which cannot send a bearer token, opens a page behind the admin token.
 */
public final class BasicPassword {
    private BasicPassword() {
    }

    public static boolean matches(String expected, String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorizationHeader.substring(6).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        int colon = decoded.indexOf(':');
        return colon >= 0 && SecretComparison.matches(expected, decoded.substring(colon + 1));
    }
}
