package com.dce.etl.poll;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** RFC 8288 {@code Link: <...>; rel="next"} headers (Retreaver); no next link means the last page. */
final class LinkHeaderPagination implements Pagination {
    private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*((?:;\\s*[^;,]+)*)");
    private static final Pattern REL_NEXT = Pattern.compile(";\\s*rel\\s*=\\s*\"?([^\";]*)\"?");

    @Override
    public URI first(URI query) {
        return query;
    }

    @Override
    public Optional<URI> next(Page page, int recordCount) {
        for (String header : page.headers().allValues("Link")) {
            Matcher link = LINK.matcher(header);
            while (link.find()) {
                Matcher rel = REL_NEXT.matcher(link.group(2));
                while (rel.find()) {
                    for (String value : rel.group(1).trim().split("\\s+")) {
                        if (value.equalsIgnoreCase("next")) {
                            return Optional.of(page.uri().resolve(link.group(1).trim()));
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }
}
