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
 * The last record's id as the cursor: each next request asks for the records after the previous page's last
 * {@code id}; a page shorter than {@code page-size} ends the walk. Invoca:
 * {@code after-id param=start_after_transaction_id id=transaction_id size=limit page-size=1000}.
 */
public final class AfterIdPagination implements Pagination {
    private final String param;
    private final SourcePath id;
    private final String size;
    private final int pageSize;
    private final Place place;
    private final ParameterPosition position;

    private AfterIdPagination(String param, SourcePath id, String size, int pageSize, Place place) {
        this.param = param;
        this.id = id;
        this.size = size;
        this.pageSize = pageSize;
        this.place = place;
        this.position = new ParameterPosition(place, param, false);
    }

    @Override
    public ProviderRequest first(ProviderRequest request) {
        return size == null ? request : request.with(place, size, IntNode.valueOf(pageSize));
    }

    @Override
    public Optional<ProviderRequest> next(Page page, List<JsonNode> records) {
        if (records.isEmpty() || records.size() < pageSize) {
            return Optional.empty();
        }
        JsonNode last = id.presentValue(records.get(records.size() - 1));
        if (last == null || !last.isValueNode()) {
            return Optional.empty();
        }
        return Optional.of(page.request().with(place, param, last.asText()));
    }

    @Override
    public Optional<String> position(ProviderRequest nextRequest) {
        return position.of(nextRequest);
    }

    @Override
    public ProviderRequest resume(ProviderRequest firstRequest, String at) {
        return position.resume(firstRequest, at);
    }

    /** {@code after-id param= id= size= page-size= in=query|body}. */
    public static final class Style implements PaginationStyle {
        @Override
        public String name() {
            return "after-id";
        }

        @Override
        public Pagination create(StyleSpec spec) {
            return new AfterIdPagination(spec.require("param"), SourcePath.parse(spec.require("id")),
                    spec.optional("size").orElse(null), PaginationSupport.pageSize(spec, 100),
                    PaginationSupport.place(spec));
        }
    }
}
