package dev.promptforge.server.security;

import dev.promptforge.server.shared.DataDirectory;
import dev.promptforge.server.shared.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On the first start (no users yet) creates the server admin {@code admin} and a first server-wide
 * API key, before the server accepts requests.
 */
@Component
class Bootstrap implements SmartInitializingSingleton {

    static final String ADMIN = "admin";
    static final String CREDENTIALS_FILE = "bootstrap-credentials.txt";
    static final Set<String> ADMIN_SCOPES = Set.of("admin", "execute", "read", "write");

    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

    private final JdbcClient jdbc;
    private final ApiKeyRepository keys;
    private final PasswordEncoder passwords;
    private final BootstrapProperties properties;
    private final DataDirectory dataDirectory;
    private final TransactionTemplate transactions;
    private final Clock clock;

    Bootstrap(
            JdbcClient jdbc,
            ApiKeyRepository keys,
            PasswordEncoder passwords,
            BootstrapProperties properties,
            DataDirectory dataDirectory,
            TransactionTemplate transactions,
            Clock clock) {
        this.jdbc = jdbc;
        this.keys = keys;
        this.passwords = passwords;
        this.properties = properties;
        this.dataDirectory = dataDirectory;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public void afterSingletonsInstantiated() {
        String givenKey = blankToNull(properties.apiKey());
        String givenPassword = blankToNull(properties.adminPassword());
        if (givenKey != null && givenKey.length() < BootstrapProperties.MIN_KEY_LENGTH) {
            throw new IllegalStateException("PROMPTFORGE_BOOTSTRAP_API_KEY must be at least "
                    + BootstrapProperties.MIN_KEY_LENGTH + " characters long.");
        }
        if (givenPassword != null && givenPassword.length() < BootstrapProperties.MIN_PASSWORD_LENGTH) {
            throw new IllegalStateException("PROMPTFORGE_BOOTSTRAP_ADMIN_PASSWORD must be at least "
                    + BootstrapProperties.MIN_PASSWORD_LENGTH + " characters long.");
        }
        String key = givenKey != null ? givenKey : ApiKeys.generate();
        String password = givenPassword != null ? givenPassword : generatePassword();
        Boolean created = transactions.execute(status -> {
            long users =
                    jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single();
            if (users > 0) {
                return false;
            }
            String userId = Ids.newId(clock);
            jdbc.sql("""
                            INSERT INTO users (id, username, password_hash, server_admin, created_at)
                            VALUES (:id, :username, :hash, :admin, :now)
                            """)
                    .param("id", userId)
                    .param("username", ADMIN)
                    .param("hash", passwords.encode(password))
                    .param("admin", true)
                    .param("now", clock.millis())
                    .update();
            keys.insert(Ids.newId(clock), "bootstrap", key, userId, null, ADMIN_SCOPES, null);
            return true;
        });
        if (!Boolean.TRUE.equals(created)) {
            return;
        }
        log.info("First start: created the admin user '{}' and a first API key ({}…)", ADMIN, ApiKeys.prefix(key));
        if (givenKey == null || givenPassword == null) {
            Path file = writeCredentials(givenPassword == null ? password : null, givenKey == null ? key : null);
            announce(givenPassword == null ? password : null, givenKey == null ? key : null, file);
        }
    }

    private Path writeCredentials(String password, String key) {
        Path file = dataDirectory.path().resolve(CREDENTIALS_FILE);
        StringBuilder text = new StringBuilder()
                .append("# PromptForge first-start credentials, generated ")
                .append(Instant.now(clock))
                .append(".\n# Keep this file secret; store the values elsewhere and delete it.\n")
                .append("admin_username=")
                .append(ADMIN)
                .append('\n');
        if (password != null) {
            text.append("admin_password=").append(password).append('\n');
        }
        if (key != null) {
            text.append("api_key=").append(key).append('\n');
        }
        try {
            Files.deleteIfExists(file);
            try {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, text, StandardOpenOption.TRUNCATE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    @SuppressWarnings("SystemOut")
    private static void announce(String password, String key, Path file) {
        StringBuilder text = new StringBuilder("\n  PromptForge first start — these are shown once:\n");
        text.append("    admin user      admin\n");
        if (password != null) {
            text.append("    admin password  ").append(password).append('\n');
        }
        if (key != null) {
            text.append("    API key         ").append(key).append('\n');
        }
        text.append("  Saved (owner-only) in ").append(file).append('\n');
        System.out.println(text);
    }

    private static String generatePassword() {
        byte[] bytes = new byte[15];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
