package dev.promptforge.server.gateway;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Why a provider call failed, mapped from the upstream's answer in one place ({@link
 * ProviderFailures}). Only some failures are worth a retry.
 */
public sealed interface ProviderFailure {

    /** 429: too many requests; {@code retryAfter} from {@code Retry-After} / {@code retry-after-ms}. */
    record RateLimited(@Nullable Duration retryAfter) implements ProviderFailure {}

    /** 401/403: the upstream refused PromptForge's credentials. */
    record AuthFailed(int status) implements ProviderFailure {}

    /** 400/422: the upstream refused the request itself (a client mistake). */
    record BadRequest(int status) implements ProviderFailure {}

    /** 404: the model does not exist upstream. */
    record ModelNotFound() implements ProviderFailure {}

    /** 5xx, a refused connection or a dropped stream. */
    record Unavailable(int status) implements ProviderFailure {}

    /** No answer within the provider's timeout. */
    record TimedOut(Duration after) implements ProviderFailure {}

    /** An answer that is not the provider's format. */
    record Malformed() implements ProviderFailure {}

    default boolean retriable() {
        return switch (this) {
            case RateLimited r -> true;
            case Unavailable u -> true;
            case TimedOut t -> true;
            case AuthFailed a -> false;
            case BadRequest b -> false;
            case ModelNotFound m -> false;
            case Malformed m -> false;
        };
    }
}
