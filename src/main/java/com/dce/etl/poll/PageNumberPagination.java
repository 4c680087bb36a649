package com.dce.etl.poll;

import java.net.URI;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Page numbers with a {@code total_pages} in each response (CallRail). The total is read from every response, as it
 * can change while paging; an empty page also ends the walk.
 */
final class PageNumberPagination implements Pagination {

    @Override
    public URI first(URI query) {
        return QueryStrings.with(query, "page", "1");
    }

    @Override
    public Optional<URI> next(Page page, int recordCount) {
        String current = QueryStrings.get(page.uri(), "page");
        int number = current == null ? 1 : Integer.parseInt(current);
        JsonNode total = page.body().path("total_pages");
        if (recordCount == 0 || !total.canConvertToInt() || number >= total.asInt()) {
            return Optional.empty();
        }
        return Optional.of(QueryStrings.with(page.uri(), "page", Integer.toString(number + 1)));
    }
}
