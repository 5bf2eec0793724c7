package dev.promptforge.server.limits;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * A budget of a project or an API key: tokens (input plus output) and cost (in the pricing table's
 * currency, USD) per UTC day and per UTC month. A null limit is no limit.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Budget(
        @Nullable Long tokensPerDay,
        @Nullable Long tokensPerMonth,
        @Nullable Double costPerDay,
        @Nullable Double costPerMonth) {

    boolean isEmpty() {
        return tokensPerDay == null && tokensPerMonth == null && costPerDay == null && costPerMonth == null;
    }
}
