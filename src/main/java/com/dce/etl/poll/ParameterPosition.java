package com.dce.etl.poll;

import java.util.Optional;

import com.dce.etl.http.ProviderRequest;
import com.dce.etl.http.ProviderRequest.Place;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Where a walk stands, for the styles that carry it in one request parameter (a cursor, a page number, an offset, a
 * last id): the position is that parameter's value, and a walk resumes by sending it again.
 *
 * @param numeric whether the value goes into a JSON body as a number
 */
record ParameterPosition(Place place, String parameter, boolean numeric) {

    Optional<String> of(ProviderRequest next) {
        return Optional.ofNullable(next.parameter(place, parameter));
    }

    ProviderRequest resume(ProviderRequest first, String position) {
        return first.with(place, parameter, numeric ? IntNode.valueOf(Integer.parseInt(position))
                : TextNode.valueOf(position));
    }
}
