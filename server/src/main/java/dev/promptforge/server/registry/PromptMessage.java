package dev.promptforge.server.registry;

import java.util.Set;

/** One chat message of a messages-form version; {@code content} is a template. */
public record PromptMessage(String role, String content) {

    public static final Set<String> ROLES = Set.of("system", "user", "assistant");
}
