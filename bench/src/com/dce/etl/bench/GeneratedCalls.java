package com.dce.etl.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * TrackDrive-shaped call records, generated from their index so that any page can be produced on demand and the
 * same million records come back on a re-load. The variety mirrors real exports: phones in several notations and
 * some anonymous, numbers as strings or numbers, converted flags as words, buyers missing, statuses spread out.
 */
final class GeneratedCalls {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final DateTimeFormatter ISO_OFFSET = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    private static final DateTimeFormatter TRACKDRIVE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xx");
    private static final String[] OFFERS = {"Auto Insurance", "Home Insurance", "Medicare Advantage", "Final Expense",
        "Solar Leads", "Debt Relief", "Travel", "Home Warranty", "Mass Tort", "Pest Control", "Roofing", "HVAC",
        "Plumbing", "Legal Intake", "Rehab", "Tax Relief", "Life Insurance", "ACA Health", "Moving", "Windows"};
    private static final String[] STATUSES = {"finished", "finished", "finished", "finished", "finished", "finished",
        "no-answer", "caller-hung-up", "no-buyer-capped", "forwarded", "busy", "failed", "rejected-by-buyer",
        "hold-queue-waited-too-long", "not-open", "finished", "finished", "no-answer", "finished", "blocked"};
    private static final String[] CONVERTED = {"true", "false", "\"Converted\"", "\"Not Converted\"", "null"};

    private GeneratedCalls() {
    }

    static String json(long i) {
        Instant created = START.plusSeconds(i * 7);
        int duration = (int) (i * 37 % 900);
        ZoneOffset zone = i % 3 == 0 ? ZoneOffset.UTC : ZoneOffset.ofHours(-5);
        String createdText = i % 5 == 0 ? TRACKDRIVE.format(created.atOffset(zone)) : ISO_OFFSET.format(created.atOffset(zone));
        StringBuilder json = new StringBuilder(900);
        json.append("{\"id\":").append(10_000_000 + i)
                .append(",\"uuid\":\"CA").append(Long.toHexString(0x1000000000L + i * 7919)).append('"')
                .append(",\"created_at\":\"").append(createdText).append('"')
                .append(",\"updated_at\":\"").append(ISO_OFFSET.format(created.plusSeconds(duration + 5).atOffset(zone)))
                .append('"')
                .append(",\"ended_at\":\"").append(ISO_OFFSET.format(created.plusSeconds(duration).atOffset(zone)))
                .append('"')
                .append(",\"caller_number\":").append(phone(i))
                .append(",\"number_called\":\"+1888555").append(fourDigits(i % 50)).append('"')
                .append(",\"connected_to\":\"+1720555").append(fourDigits(i % 300)).append('"')
                .append(",\"caller_city\":\"").append(i % 7 == 0 ? "" : "Denver").append('"')
                .append(",\"caller_country\":\"US\"")
                .append(",\"offer\":\"").append(OFFERS[(int) (i % OFFERS.length)]).append('"')
                .append(",\"offer_id\":").append(100 + i % OFFERS.length)
                .append(",\"traffic_source\":\"Publisher ").append(i % 30).append('"')
                .append(",\"traffic_source_id\":\"").append(500 + i % 30).append('"');
        if (i % 5 != 0) {
            json.append(",\"buyer\":\"Buyer ").append(i % 15).append("\",\"buyer_id\":").append(900 + i % 15);
        }
        json.append(",\"total_duration\":").append(i % 2 == 0 ? Integer.toString(duration) : "\"" + duration + "\"")
                .append(",\"status\":\"").append(STATUSES[(int) (i % STATUSES.length)]).append('"')
                .append(",\"buyer_converted\":").append(CONVERTED[(int) (i % CONVERTED.length)])
                .append(",\"traffic_source_converted\":").append(i % 4 == 0)
                .append(",\"buyer_revenue\":").append(i % 3 == 0 ? "\"" + (i % 90) + ".50\"" : (i % 90) + ".25")
                .append(",\"traffic_source_payout\":").append(i % 4 == 0 ? "null" : "\"" + (i % 40) + ".00\"")
                .append(",\"recording_url\":\"https://recordings.example.com/").append(i).append(".mp3\"")
                .append(",\"token_values\":{\"zip\":\"8").append(fourDigits(i % 10000))
                .append("\",\"source\":\"").append(i % 2 == 0 ? "tv" : "search").append("\"}}");
        return json.toString();
    }

    /**
     * {@code String.format("%04d", n)} without the formatter: its three calls a record were most of the fake API's
     * time, CPU the provider does not take from the service's machine outside the benchmark.
     */
    private static String fourDigits(long n) {
        String digits = Long.toString(n);
        return "0000".substring(digits.length()) + digits;
    }

    private static String phone(long i) {
        long local = 5550000 + i % 10000;
        return switch ((int) (i % 8)) {
            case 0 -> "\"+1303" + local + "\"";
            case 1 -> "\"303" + local + "\"";
            case 2 -> "\"(303) " + String.valueOf(local).substring(0, 3) + "-" + String.valueOf(local).substring(3)
                    + "\"";
            case 3 -> "\"1303" + local + "\"";
            case 4 -> "\"anonymous\"";
            case 5 -> "\"+44207946" + fourDigits(i % 10000) + "\"";
            default -> "1720" + local;
        };
    }
}
