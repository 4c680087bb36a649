package com.dce.etl.poll;

import java.util.List;
import java.util.Optional;

import com.dce.etl.http.Page;
import com.dce.etl.http.ProviderRequest;
import com.dce.etl.http.ProviderRequest.Place;
import com.dce.etl.mapping.SourcePath;
import com.dce.etl.style.StyleSpec;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Numbered pages: {@code param=first} (1) and up. With {@code total}, the page count is read from every answer (it can
 * grow while paging, as CallRail's does) and the walk ends at it; an empty page always ends it.
 * CallRail: {@code page-number param=page total=total_pages}.
 */
public final class PageNumberPagination implements Pagination {
    private final String param;
    private final int first;
    private final SourcePath total;
    private final Place place;
    private final ParameterPosition position;

    private PageNumberPagination(String param, int first, SourcePath total, Place place) {
        this.param = param;
        this.first = first;
        this.total = total;
        this.place = place;
        this.position = new ParameterPosition(place, param, false);
    }

    @Override
    public ProviderRequest first(ProviderRequest request) {
        return request.with(place, param, Integer.toString(first));
    }

    @Override
    public Optional<ProviderRequest> next(Page page, List<JsonNode> records) {
        String current = page.request().parameter(place, param);
        int number = current == null ? first : Integer.parseInt(current);
        if (records.isEmpty()) {
            return Optional.empty();
        }
        if (total != null) {
            JsonNode pages = total.presentValue(page.body());
            if (pages == null || !pages.canConvertToInt() || number >= pages.asInt()) {
                return Optional.empty();
            }
        }
        return Optional.of(page.request().with(place, param, Integer.toString(number + 1)));
    }

    @Override
    public Optional<String> position(ProviderRequest nextRequest) {
        return position.of(nextRequest);
    }

    @Override
    public ProviderRequest resume(ProviderRequest firstRequest, String at) {
        return position.resume(firstRequest, at);
    }

    /** {@code page-number param= first= total= in=query|body}. */
    public static final class Style implements PaginationStyle {
        @Override
        public String name() {
            return "page-number";
        }

        @Override
        public Pagination create(StyleSpec spec) {
            return new PageNumberPagination(spec.get("param", "page"), spec.getInt("first", 1),
                    spec.optional("total").map(SourcePath::parse).orElse(null), PaginationSupport.place(spec));
        }
    }
}
