package com.dce.etl.http;

import java.net.http.HttpHeaders;
import java.time.OffsetDateTime;

import com.fasterxml.jackson.databind.JsonNode;

/** One answered request to a provider's list endpoint: what was asked, the answer's headers and JSON body, and when. */
public record Page(ProviderRequest request, HttpHeaders headers, JsonNode body, OffsetDateTime fetchedAt) {
}
