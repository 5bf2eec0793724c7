package dev.promptforge.server.gateway;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The one place where an upstream HTTP status becomes a {@link ProviderFailure}. */
public final class ProviderFailures {

    private ProviderFailures() {}

    /**
     * Classifies an HTTP error status.
     *
     * @param retryAfter the {@code Retry-After} header (seconds or an HTTP date), or null
     * @param retryAfterMs the {@code retry-after-ms} header (OpenAI, Anthropic), or null
     */
    public static ProviderFailure fromStatus(int status, @Nullable String retryAfter, @Nullable String retryAfterMs) {
        if (status == 429) {
            return new ProviderFailure.RateLimited(
                    retryDelay(retryAfter, retryAfterMs).orElse(null));
        }
        if (status == 401 || status == 403) {
            return new ProviderFailure.AuthFailed(status);
        }
        if (status == 404) {
            return new ProviderFailure.ModelNotFound();
        }
        if (status == 408) {
            return new ProviderFailure.TimedOut(Duration.ZERO);
        }
        if (status >= 500 || status == 409) {
            return new ProviderFailure.Unavailable(status);
        }
        return new ProviderFailure.BadRequest(status);
    }

    /** The delay the upstream asked for: {@code retry-after-ms} first, then {@code Retry-After}. */
    public static Optional<Duration> retryDelay(@Nullable String retryAfter, @Nullable String retryAfterMs) {
        if (retryAfterMs != null) {
            try {
                double ms = Double.parseDouble(retryAfterMs.strip());
                if (ms >= 0 && ms < 86_400_000) {
                    return Optional.of(Duration.ofNanos((long) (ms * 1_000_000)));
                }
            } catch (NumberFormatException e) {
                // fall through to Retry-After
            }
        }
        if (retryAfter != null) {
            String value = retryAfter.strip();
            try {
                double seconds = Double.parseDouble(value);
                if (seconds >= 0 && seconds < 86_400) {
                    return Optional.of(Duration.ofMillis((long) (seconds * 1000)));
                }
            } catch (NumberFormatException e) {
                try {
                    Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                            .toInstant();
                    Duration delay = Duration.between(Instant.now(), at);
                    return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
                } catch (DateTimeParseException ignored) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
