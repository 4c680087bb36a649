package com.dce.etl.poll;

import java.net.URI;
import java.net.http.HttpHeaders;

import com.fasterxml.jackson.databind.JsonNode;

/** One fetched page of a provider's list endpoint. */
public record Page(URI uri, HttpHeaders headers, JsonNode body) {
}
