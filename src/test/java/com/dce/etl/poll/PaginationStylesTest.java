package com.dce.etl.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.dce.etl.config.DeclarationError;
import com.dce.etl.http.Page;
import com.dce.etl.http.ProviderRequest;
import com.dce.etl.http.ProviderRequest.Place;
import com.dce.etl.mapping.ProviderJson;
import com.fasterxml.jackson.databind.JsonNode;

/** Each pagination style on its own: the first request, the next one, the end, and the position a read resumes at. */
class PaginationStylesTest {
    private static final ProviderRequest GET = ProviderRequest.get(URI.create("https://api.example.com/calls?a=1"));
    private static final ProviderRequest POST = new ProviderRequest("POST", URI.create("https://api.example.com/q"),
            Map.of(), json("{\"filter\": \"x\"}"));

    private static JsonNode json(String text) {
        try {
            return ProviderJson.read(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Page page(ProviderRequest request, String body, String... headers) {
        HttpHeaders answerHeaders = HttpHeaders.of(headers.length == 0 ? Map.of()
                : Map.of(headers[0], List.of(headers[1])), (a, b) -> true);
        return new Page(request, answerHeaders, json(body), List.of(), OffsetDateTime.now());
    }

    private static List<JsonNode> records(int count) {
        List<JsonNode> records = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            records.add(json("{\"id\": " + i + "}"));
        }
        return records;
    }

    private static Pagination style(String spec) {
        return Pagination.STYLES.create("pagination", spec);
    }

    @Test
    void cursorSendsWhatEachAnswerHandsBackUntilTheLastValue() {
        Pagination cursor = style("cursor param=cursor first=-1 next=metadata.next_cursor last=0");
        ProviderRequest first = cursor.first(GET);
        assertThat(first.parameter(Place.QUERY, "cursor")).isEqualTo("-1");
        ProviderRequest second = cursor.next(page(first, "{\"metadata\": {\"next_cursor\": 77}}"), records(2)).get();
        assertThat(second.uri().getQuery()).isEqualTo("a=1&cursor=77");
        assertThat(cursor.next(page(second, "{\"metadata\": {\"next_cursor\": 0}}"), records(2))).isEmpty();
        assertThat(cursor.resume(first, cursor.position(second).get())).isEqualTo(second);
    }

    @Test
    void pageNumbersFollowTheTotalReadFromEveryAnswer() {
        Pagination pages = style("page-number param=page total=total_pages");
        ProviderRequest first = pages.first(GET);
        ProviderRequest second = pages.next(page(first, "{\"total_pages\": 2}"), records(1)).get();
        assertThat(second.parameter(Place.QUERY, "page")).isEqualTo("2");
        assertThat(pages.next(page(second, "{\"total_pages\": 3}"), records(1))).as("the count grew").isPresent();
        assertThat(pages.next(page(second, "{\"total_pages\": 2}"), records(1))).isEmpty();
        assertThat(pages.next(page(first, "{\"total_pages\": 9}"), records(0))).as("an empty page ends").isEmpty();
    }

    @Test
    void offsetInTheBodyMovesByTheRecordsReadAndStopsAtAShortPageOrTheTotal() {
        Pagination offset = style("offset offset=offset size=size page-size=2 in=body total=report.totalCount");
        ProviderRequest first = offset.first(POST);
        assertThat(first.body().toString()).isEqualTo("{\"filter\":\"x\",\"size\":2,\"offset\":0}");
        ProviderRequest second = offset.next(page(first, "{\"report\": {\"totalCount\": 5}}"), records(2)).get();
        assertThat(second.body().get("offset").asInt()).isEqualTo(2);
        assertThat(offset.next(page(second, "{\"report\": {\"totalCount\": 4}}"), records(2))).as("total reached")
                .isEmpty();
        assertThat(offset.next(page(second, "{}"), records(1))).as("a short page").isEmpty();
        assertThat(offset.resume(first, offset.position(second).get())).isEqualTo(second);
    }

    @Test
    void afterIdAsksForWhatFollowsTheLastRecord() {
        Pagination afterId = style("after-id param=start_after_transaction_id id=id size=limit page-size=3");
        ProviderRequest first = afterId.first(GET);
        assertThat(first.parameter(Place.QUERY, "limit")).isEqualTo("3");
        ProviderRequest second = afterId.next(page(first, "[]"), records(3)).get();
        assertThat(second.parameter(Place.QUERY, "start_after_transaction_id")).isEqualTo("3");
        assertThat(afterId.next(page(second, "[]"), records(2))).isEmpty();
    }

    @Test
    void linkHeaderFollowsRelNext() {
        Pagination links = style("link-header");
        Page answered = page(GET, "[]", "Link", "</calls?page=2>; rel=\"next\", </calls?page=9>; rel=\"last\"");
        assertThat(links.next(answered, records(1)).get().uri())
                .isEqualTo(URI.create("https://api.example.com/calls?page=2"));
        assertThat(links.next(page(GET, "[]", "Link", "</calls?page=9>; rel=\"last\""), records(1))).isEmpty();
    }

    @Test
    void aMistakeNamesTheStyleAndTheParameter() {
        assertThatThrownBy(() -> style("offset in=header")).isInstanceOf(DeclarationError.class)
                .hasMessage("pagination: offset: in= must be query or body, not 'header'");
        assertThatThrownBy(() -> style("cursor")).hasMessage("pagination: cursor: next= is required");
        assertThatThrownBy(() -> style("after-id param=x id=y page-size=0"))
                .hasMessage("pagination: after-id: page-size must be at least 1");
        assertThatThrownBy(() -> style("cursor next=a next=b")).hasMessage("pagination: next is given twice");
    }
}
