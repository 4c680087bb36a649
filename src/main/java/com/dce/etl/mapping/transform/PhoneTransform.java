package com.dce.etl.mapping.transform;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.dce.etl.mapping.FieldTransform;
import com.dce.etl.mapping.ValueRejected;
import com.dce.etl.mapping.ValueType;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * A phone number in E.164 ({@code +13035551234}), read by libphonenumber with a default region for numbers
 * written without a country code. Numbers that are not valid phone numbers become NULL, as the DCE schema
 * says, rather than rejecting the whole call: "anonymous" or "266696687" caller ids are normal traffic.
 */
public final class PhoneTransform implements FieldTransform {
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    /** Parsing is the dearest step of mapping a call; tracking and destination numbers repeat all day. */
    private static final int CACHE_SIZE = 50_000;
    private static final String INVALID = "";
    /** "+1 (303) 555-1234 ext. 12345" and the like fit; libphonenumber itself gives up beyond 250. */
    private static final int LONGEST_WRITTEN_NUMBER = 64;

    private final String defaultRegion;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    public PhoneTransform(String defaultRegion) {
        if (!PHONES.getSupportedRegions().contains(defaultRegion)) {
            throw new IllegalArgumentException("unknown region '" + defaultRegion
                    + "' (use a two-letter ISO 3166 code such as US, CA, GB)");
        }
        this.defaultRegion = defaultRegion;
    }

    @Override
    public ValueType output() {
        return ValueType.TEXT;
    }

    @Override
    public Object apply(JsonNode value) throws ValueRejected {
        if (!value.isTextual() && !value.isNumber()) {
            throw new ValueRejected("expected a phone number, got " + Describe.kind(value));
        }
        String text = value.isNumber() ? value.asText() : value.asText().trim();
        if (text.length() > LONGEST_WRITTEN_NUMBER) {
            return null; // and not cached: 50,000 long junk values would hold their megabytes in the cache
        }
        String e164 = cache.get(text);
        if (e164 == null) {
            e164 = parse(text);
            if (cache.size() >= CACHE_SIZE) {
                cache.clear();
            }
            cache.put(text, e164);
        }
        return e164 == INVALID ? null : e164;
    }

    private String parse(String text) {
        try {
            PhoneNumber number = PHONES.parse(withPlusForBareInternational(text), defaultRegion);
            if (!PHONES.isValidNumber(number)) {
                return INVALID;
            }
            return PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            return INVALID;
        }
    }

    /**
     * Providers often send E.164 without its plus ("13035551234"); with a default region of US that would be read
     * as a national number and fail. An 11-digit number starting with the region's country code is read as
     * international.
     */
    private String withPlusForBareInternational(String text) {
        if (text.startsWith("+") || !text.chars().allMatch(Character::isDigit)) {
            return text;
        }
        String countryCode = Integer.toString(PHONES.getCountryCodeForRegion(defaultRegion));
        boolean looksInternational = text.startsWith(countryCode) && text.length() > 10;
        return looksInternational ? "+" + text : text;
    }
}
