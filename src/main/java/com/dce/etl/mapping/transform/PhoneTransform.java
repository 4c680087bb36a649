package com.dce.etl.mapping.transform;

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

    private final String defaultRegion;

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
        try {
            PhoneNumber number = PHONES.parse(withPlusForBareInternational(text), defaultRegion);
            if (!PHONES.isValidNumber(number)) {
                return null;
            }
            return PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            return null;
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
