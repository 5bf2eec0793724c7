package dev.promptforge.server.gateway;

import dev.promptforge.server.shared.ApiException;
import org.springframework.http.HttpStatus;

/** A failed execution as the client sees it: the status for the failure, and the record that logged it. */
final class GatewayException {

    private GatewayException() {}

    static ApiException of(ProviderFailure failure, String message, String recordId) {
        ApiException e = switch (failure) {
            case ProviderFailure.RateLimited r -> {
                ApiException limited =
                        new ApiException(HttpStatus.TOO_MANY_REQUESTS, "Rate limited by the provider", message);
                if (r.retryAfter() != null) {
                    limited.withHeader(
                            "Retry-After",
                            Long.toString(Math.max(1, (r.retryAfter().toMillis() + 999) / 1000)));
                }
                yield limited;
            }
            case ProviderFailure.AuthFailed a ->
                new ApiException(HttpStatus.BAD_GATEWAY, "Provider refused credentials", message);
            case ProviderFailure.BadRequest b ->
                new ApiException(
                        b.status() == 422 ? HttpStatus.UNPROCESSABLE_CONTENT : HttpStatus.BAD_REQUEST,
                        "Provider refused the request",
                        message);
            case ProviderFailure.ModelNotFound m -> new ApiException(HttpStatus.NOT_FOUND, "Model not found", message);
            case ProviderFailure.Unavailable u ->
                new ApiException(HttpStatus.BAD_GATEWAY, "Provider unavailable", message);
            case ProviderFailure.Malformed m ->
                new ApiException(HttpStatus.BAD_GATEWAY, "Bad answer from the provider", message);
            case ProviderFailure.TimedOut t ->
                new ApiException(HttpStatus.GATEWAY_TIMEOUT, "Provider timed out", message);
        };
        return e.withProperty("recordId", recordId);
    }

    static ApiException breakerOpen(String provider, long waitSeconds, String recordId) {
        return new ApiException(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "Provider circuit open",
                        "Calls to provider '" + provider + "' are paused after repeated failures; try again in about "
                                + waitSeconds + " s or use another model.")
                .withHeader("Retry-After", Long.toString(Math.max(1, waitSeconds)))
                .withProperty("recordId", recordId);
    }
}
