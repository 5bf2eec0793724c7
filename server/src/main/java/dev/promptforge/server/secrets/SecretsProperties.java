package dev.promptforge.server.secrets;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The master key of secrets at rest.
 *
 * @param masterKey the key as base64 of 32 bytes ({@code PROMPTFORGE_MASTER_KEY}); wins over the file
 * @param masterKeyFile a file holding it ({@code PROMPTFORGE_MASTER_KEY_FILE}); default {@code
 *     master.key} in the data directory, generated owner-only on first start
 */
@ConfigurationProperties("promptforge.secrets")
record SecretsProperties(
        @Nullable String masterKey, @Nullable Path masterKeyFile) {

    @Override
    public String toString() {
        return "SecretsProperties[masterKey=" + (masterKey == null || masterKey.isBlank() ? "unset" : "***")
                + ", masterKeyFile=" + masterKeyFile + "]";
    }
}
