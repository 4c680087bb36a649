package com.dce.etl.http;

import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the connections the HTTP server holds open. A new connection over the limit takes the place of the one that
 * has waited longest between requests, so that clients holding connections open without sending (or a provider's
 * idle keep-alive pool) cannot lock out a webhook; when every connection is busy with a request, the new one is
 * closed instead.
 */
final class ConnectionLimit {
    private final int max;
    private final Set<RequestFramingGuard> open = ConcurrentHashMap.newKeySet();

    ConnectionLimit(int max) {
        this.max = max;
    }

    /** Counts a connection that was just accepted; false when it must be closed because all others are busy. */
    synchronized boolean admit(RequestFramingGuard connection) {
        while (open.size() >= max) {
            Optional<RequestFramingGuard> idlest = open.stream().filter(RequestFramingGuard::isIdle)
                    .min(Comparator.comparingLong(RequestFramingGuard::idleSinceNanos));
            if (idlest.isEmpty()) {
                return false;
            }
            open.remove(idlest.get());
            idlest.get().closeIdle();
        }
        open.add(connection);
        return true;
    }

    void closed(RequestFramingGuard connection) {
        open.remove(connection);
    }

    int open() {
        return open.size();
    }
}
