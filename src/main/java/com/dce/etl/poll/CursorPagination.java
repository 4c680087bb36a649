package com.dce.etl.poll;

import java.net.URI;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * TrackDrive's cursor protocol: the first request sends {@code cursor=-1}, each response carries
 * {@code metadata.next_cursor}, which is sent back; {@code 0} (or none) means the last page.
 */
final class CursorPagination implements Pagination {

    @Override
    public URI first(URI query) {
        return QueryStrings.with(query, "cursor", "-1");
    }

    @Override
    public Optional<URI> next(Page page, int recordCount) {
        JsonNode cursor = page.body().path("metadata").path("next_cursor");
        if (cursor.isMissingNode() || cursor.isNull() || cursor.asText().isEmpty() || "0".equals(cursor.asText())) {
            return Optional.empty();
        }
        return Optional.of(QueryStrings.with(page.uri(), "cursor", cursor.asText()));
    }
}
