package dev.promptforge.server.security;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * First-start credentials. When unset, both are generated, written to the data directory's
 * {@code bootstrap-credentials.txt} (owner-only) and printed once.
 *
 * @param apiKey the first API key ({@code PROMPTFORGE_BOOTSTRAP_API_KEY}), at least 16 characters
 * @param adminPassword the password of the user {@code admin} ({@code PROMPTFORGE_BOOTSTRAP_ADMIN_PASSWORD})
 */
@ConfigurationProperties("promptforge.bootstrap")
record BootstrapProperties(
        @Nullable String apiKey, @Nullable String adminPassword) {

    static final int MIN_KEY_LENGTH = 16;
    static final int MIN_PASSWORD_LENGTH = 8;
}
