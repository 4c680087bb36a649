package com.dce.etl.poll;

import com.dce.etl.http.ProviderRequest.Place;
import com.dce.etl.style.StyleSpec;

/** Parameters that several pagination styles read the same way. */
final class PaginationSupport {
    private PaginationSupport() {
    }

    /** {@code in=query} (default) or {@code in=body}: where the paging parameters go. */
    static Place place(StyleSpec spec) {
        try {
            return Place.named(spec.get("in", "query"));
        } catch (IllegalArgumentException e) {
            throw spec.fail(e.getMessage());
        }
    }

    /** {@code page-size=}: records per page the request asks for, 1 or more. */
    static int pageSize(StyleSpec spec, int fallback) {
        int size = spec.getInt("page-size", fallback);
        if (size < 1) {
            throw spec.fail("page-size must be at least 1");
        }
        return size;
    }
}
