package com.dce.etl.poll;

import java.util.List;
import java.util.Optional;

import com.dce.etl.http.Page;
import com.dce.etl.http.ProviderRequest;
import com.dce.etl.style.Style;
import com.dce.etl.style.Styles;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a provider's list endpoint is paged, as its declaration configures it: what the first request carries and
 * which request follows a page. Styles (see {@link #STYLES}): {@code cursor}, {@code page-number}, {@code offset},
 * {@code link-header}, {@code after-id}.
 */
public interface Pagination {

    Styles<PaginationStyle, Pagination> STYLES = Styles.of("pagination", PaginationStyle.class);

    /** A pagination style, listed in META-INF/services/com.dce.etl.poll.Pagination$PaginationStyle. */
    interface PaginationStyle extends Style<Pagination> {
    }

    ProviderRequest first(ProviderRequest request);

    /** The request for the page after {@code page}, whose records are {@code records}; empty after the last. */
    Optional<ProviderRequest> next(Page page, List<JsonNode> records);

    /**
     * Where a walk stands after {@code page}, in words a later walk can resume from ({@link #resume}): a cursor,
     * a page number, an offset, a last id, a URL. Empty when the style cannot resume mid-walk.
     */
    default Optional<String> position(ProviderRequest next) {
        return Optional.empty();
    }

    /** The request that continues a walk at {@code position} (from {@link #position}), built on the first one. */
    default ProviderRequest resume(ProviderRequest first, String position) {
        throw new UnsupportedOperationException("this pagination cannot resume mid-walk");
    }
}
