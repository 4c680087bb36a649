package com.dce.etl.poll;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.dce.etl.http.Page;
import com.dce.etl.http.ProviderRequest;
import com.dce.etl.style.StyleSpec;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * RFC 8288 {@code Link: <...>; rel="next"} headers; no such link ends the walk. The next URL is used as given. Its
 * query string is kept out of logs, since it may repeat credentials. Retreaver: {@code link-header}.
 */
public final class LinkHeaderPagination implements Pagination {
    private static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*((?:;\\s*[^;,]+)*)");
    private static final Pattern REL = Pattern.compile(";\\s*rel\\s*=\\s*\"?([^\";]*)\"?");

    private final String rel;

    private LinkHeaderPagination(String rel) {
        this.rel = rel;
    }

    @Override
    public ProviderRequest first(ProviderRequest request) {
        return request;
    }

    @Override
    public Optional<ProviderRequest> next(Page page, List<JsonNode> records) {
        for (String header : page.headers().allValues("Link")) {
            Matcher link = LINK.matcher(header);
            while (link.find()) {
                Matcher relation = REL.matcher(link.group(2));
                while (relation.find()) {
                    for (String value : relation.group(1).trim().split("\\s+")) {
                        if (value.equalsIgnoreCase(rel)) {
                            URI next = page.request().uri().resolve(link.group(1).trim());
                            return Optional.of(page.request().withUri(next));
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> position(ProviderRequest nextRequest) {
        return Optional.of(nextRequest.uri().toString());
    }

    @Override
    public ProviderRequest resume(ProviderRequest firstRequest, String position) {
        return firstRequest.withUri(URI.create(position));
    }

    /** {@code link-header rel=next}. */
    public static final class Style implements PaginationStyle {
        @Override
        public String name() {
            return "link-header";
        }

        @Override
        public Pagination create(StyleSpec spec) {
            return new LinkHeaderPagination(spec.get("rel", "next"));
        }
    }
}
