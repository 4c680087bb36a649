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
 * A cursor that each page hands back: the first request sends {@code param=first}, each answer carries the next
 * cursor at {@code next}, which the following request sends; a missing or empty cursor, or {@code last}, ends the walk.
 * TrackDrive: {@code cursor param=cursor first=-1 next=metadata.next_cursor last=0}.
 */
public final class CursorPagination implements Pagination {
    private final String param;
    private final String first;
    private final SourcePath next;
    private final String last;
    private final Place place;
    private final ParameterPosition position;

    private CursorPagination(String param, String first, SourcePath next, String last, Place place) {
        this.param = param;
        this.first = first;
        this.next = next;
        this.last = last;
        this.place = place;
        this.position = new ParameterPosition(place, param, false);
    }

    @Override
    public ProviderRequest first(ProviderRequest request) {
        return first == null ? request : request.with(place, param, first);
    }

    @Override
    public Optional<ProviderRequest> next(Page page, List<JsonNode> records) {
        JsonNode cursor = next.presentValue(page.body());
        if (cursor == null || !cursor.isValueNode() || cursor.asText().equals(last)) {
            return Optional.empty();
        }
        return Optional.of(page.request().with(place, param, cursor.asText()));
    }

    @Override
    public Optional<String> position(ProviderRequest nextRequest) {
        return position.of(nextRequest);
    }

    @Override
    public ProviderRequest resume(ProviderRequest firstRequest, String at) {
        return position.resume(firstRequest, at);
    }

    /** {@code cursor param= first= next= last= in=query|body}. */
    public static final class Style implements PaginationStyle {
        @Override
        public String name() {
            return "cursor";
        }

        @Override
        public Pagination create(StyleSpec spec) {
            return new CursorPagination(spec.get("param", "cursor"), spec.optional("first").orElse(null),
                    SourcePath.parse(spec.require("next")), spec.optional("last").orElse(null),
                    PaginationSupport.place(spec));
        }
    }
}
