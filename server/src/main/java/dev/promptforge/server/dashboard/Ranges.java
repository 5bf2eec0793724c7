package dev.promptforge.server.dashboard;

import dev.promptforge.server.shared.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/** The time ranges the pages offer (1h, 24h, 7d, 30d, or custom dates), with a bucket size for charts. */
record Ranges(String name, Instant from, Instant to, Duration bucket) {

    static Ranges of(@Nullable String name, @Nullable String from, @Nullable String to, Instant now) {
        String range = name == null || name.isBlank() ? "24h" : name;
        return switch (range) {
            case "1h" -> new Ranges(range, now.minus(Duration.ofHours(1)), now, Duration.ofMinutes(1));
            // longer ranges start on a whole hour, so their buckets are whole hours the rollups answer
            case "24h" -> new Ranges(range, hour(now.minus(Duration.ofHours(24))), now, Duration.ofHours(1));
            case "7d" -> new Ranges(range, hour(now.minus(Duration.ofDays(7))), now, Duration.ofHours(3));
            case "30d" -> new Ranges(range, hour(now.minus(Duration.ofDays(30))), now, Duration.ofHours(12));
            case "custom" -> custom(from, to);
            default ->
                throw ApiException.badRequest(
                        "Range '" + range + "' is not one of 1h, 24h, 7d, 30d, custom: pick one of the range buttons.");
        };
    }

    private static Instant hour(Instant at) {
        return at.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    }

    private static Ranges custom(@Nullable String from, @Nullable String to) {
        if (from == null || from.isBlank() || to == null || to.isBlank()) {
            throw ApiException.badRequest("A custom range needs both dates, 'from' and 'to' (YYYY-MM-DD).");
        }
        try {
            Instant start = LocalDate.parse(from).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant end =
                    LocalDate.parse(to).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            if (!end.isAfter(start)) {
                throw ApiException.badRequest("The custom range's 'to' date must not be before its 'from' date.");
            }
            if (Duration.between(start, end).toDays() > 366) {
                throw ApiException.badRequest("A custom range may span at most 366 days.");
            }
            Duration span = Duration.between(start, end);
            Duration bucket = span.dividedBy(60);
            if (bucket.compareTo(Duration.ofHours(1)) >= 0) {
                bucket = bucket.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
            }
            return new Ranges("custom", start, end, bucket.isZero() ? Duration.ofMinutes(1) : bucket);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("Dates of a custom range are written YYYY-MM-DD, e.g. 2026-11-01.");
        }
    }
}
