package dev.promptforge.server.gateway.fake;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A request a fake server received, as it arrived.
 *
 * @param method e.g. {@code POST}
 * @param path the request target, e.g. {@code /v1/chat/completions}
 * @param headers by lower-case name, in arrival order
 * @param body the body as UTF-8 text ({@code ""} when there was none)
 * @param json the body parsed as a JSON object (nested maps, lists, strings, numbers, booleans);
 *     null when the body is not a JSON object
 */
public record RecordedRequest(
        String method,
        String path,
        Map<String, List<String>> headers,
        String body,
        @Nullable Map<String, Object> json) {

    public RecordedRequest {
        headers = Map.copyOf(headers);
    }

    /** The first value of a header (any case), or null. */
    public @Nullable String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The parsed JSON body; fails the test when the body was not a JSON object. */
    public Map<String, Object> jsonBody() {
        if (json == null) {
            throw new AssertionError("the request body is not a JSON object: " + body);
        }
        return json;
    }
}
