package dev.promptforge.server.registry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An immutable version of a prompt: either a {@code template} or a list of {@code messages}, the
 * model it runs on, its parameters and declared variables. {@code contentHash} identifies the
 * content (everything but the commit message).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PromptVersion(
        @JsonIgnore String promptId,
        String prompt,
        int version,
        @Nullable String template,
        @Nullable List<PromptMessage> messages,
        String model,
        Map<String, Object> parameters,
        List<String> variables,
        @Nullable String commitMessage,
        String contentHash,
        String createdBy,
        Instant createdAt) {
    public PromptVersion {
        requireNonNull(model, "model");
        if ((template == null) == (messages == null)) {
            throw new IllegalArgumentException("a version has either a template or messages");
        }
        messages = messages == null ? null : List.copyOf(messages);
        parameters = Map.copyOf(parameters);
        variables = List.copyOf(variables);
    }

    /** The version's text as chat messages: a template is one user message. */
    public List<PromptMessage> asMessages() {
        return template != null ? List.of(new PromptMessage("user", template)) : messages;
    }
}
