package com.dce.etl.http;

import java.net.http.HttpHeaders;
import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One answered request to a provider's list endpoint: what was asked, the answer's headers and JSON body, the text of
 * each of its records as the provider sent it (in the order of the records array; empty when it has none), and when.
 */
public record Page(ProviderRequest request, HttpHeaders headers, JsonNode body, List<String> recordTexts,
        OffsetDateTime fetchedAt) {
}
