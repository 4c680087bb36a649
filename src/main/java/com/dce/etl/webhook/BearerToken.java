package com.dce.etl.webhook;

/** {@code Authorization: Bearer <token>}, compared in constant time. */
public final class BearerToken {
    private BearerToken() {
    }

    public static boolean matches(String expected, String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return SecretComparison.matches(expected, authorizationHeader.substring(7).trim());
    }
}
