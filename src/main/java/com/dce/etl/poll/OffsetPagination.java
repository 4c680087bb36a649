package com.dce.etl.poll;

import java.util.List;
import java.util.Optional;

import com.dce.etl.http.Page;
import com.dce.etl.http.ProviderRequest;
import com.dce.etl.http.ProviderRequest.Place;
import com.dce.etl.mapping.SourcePath;
import com.dce.etl.style.StyleSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;

/**
 * An offset and a page size, in the query or in the JSON body: the first request asks for {@code page-size} records
 * from offset {@code start}, each next one from where the last ended. A page shorter than the page size ends the walk,
 * and so does reaching {@code total} when the answer tells it. Ringba:
 * {@code offset offset=offset size=size page-size=1000 in=body total=report.totalCount}.
 */
public final class OffsetPagination implements Pagination {
    private final String offset;
    private final String size;
    private final int pageSize;
    private final int start;
    private final SourcePath total;
    private final Place place;
    private final ParameterPosition position;

    private OffsetPagination(String offset, String size, int pageSize, int start, SourcePath total, Place place) {
        this.offset = offset;
        this.size = size;
        this.pageSize = pageSize;
        this.start = start;
        this.total = total;
        this.place = place;
        this.position = new ParameterPosition(place, offset, true);
    }

    @Override
    public ProviderRequest first(ProviderRequest request) {
        return request.with(place, size, IntNode.valueOf(pageSize)).with(place, offset, IntNode.valueOf(start));
    }

    @Override
    public Optional<ProviderRequest> next(Page page, List<JsonNode> records) {
        String current = page.request().parameter(place, offset);
        long at = (current == null ? start : Long.parseLong(current)) + records.size();
        if (records.size() < pageSize) {
            return Optional.empty();
        }
        if (total != null) {
            JsonNode count = total.presentValue(page.body());
            if (count != null && count.canConvertToLong() && at >= count.asLong()) {
                return Optional.empty();
            }
        }
        return Optional.of(page.request().with(place, offset, IntNode.valueOf(Math.toIntExact(at))));
    }

    @Override
    public Optional<String> position(ProviderRequest nextRequest) {
        return position.of(nextRequest);
    }

    @Override
    public ProviderRequest resume(ProviderRequest firstRequest, String at) {
        return position.resume(firstRequest, at);
    }

    /** {@code offset offset= size= page-size= start= total= in=query|body}. */
    public static final class Style implements PaginationStyle {
        @Override
        public String name() {
            return "offset";
        }

        @Override
        public Pagination create(StyleSpec spec) {
            return new OffsetPagination(spec.get("offset", "offset"), spec.get("size", "limit"),
                    PaginationSupport.pageSize(spec, 100), spec.getInt("start", 0),
                    spec.optional("total").map(SourcePath::parse).orElse(null), PaginationSupport.place(spec));
        }
    }
}
