package com.dce.etl.poll;

import java.net.URI;
import java.util.Optional;

import com.dce.etl.config.ConfigurationException;

/** How a provider's list endpoint is paged: where the first page is and how to find the next one. */
public interface Pagination {

    URI first(URI query);

    /** The next page, or empty after the last one. */
    Optional<URI> next(Page page, int recordCount);

    static Pagination named(String style) {
        return switch (style) {
            case "cursor" -> new CursorPagination();
            case "link-header" -> new LinkHeaderPagination();
            case "page-number" -> new PageNumberPagination();
            default -> throw new ConfigurationException(
                    "pagination must be cursor, link-header or page-number, not '" + style + "'");
        };
    }
}
