package dev.promptforge.server.privacy;

import dev.promptforge.server.shared.DataDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Per-project keys for the {@code hash} and {@code encrypt} operators, derived (HMAC-SHA256) from one
 * server secret in the data directory's {@code pii.key} (32 random bytes, owner-only, generated on
 * first use). The security issue moves this secret under the master key.
 */
@Component
class ProjectKeys {

    static final String FILE = "pii.key";
    private final byte[] secret;

    ProjectKeys(DataDirectory dataDirectory) {
        this.secret = load(dataDirectory.path().resolve(FILE));
    }

    byte[] hmacKey(String projectId) {
        return derive("hmac:" + projectId);
    }

    byte[] subjectKey(String projectId) {
        return derive("subject:" + projectId);
    }

    byte[] encryptionKey(String projectId) {
        return derive("aes:" + projectId);
    }

    private byte[] derive(String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private static synchronized byte[] load(Path file) {
        try {
            if (Files.exists(file)) {
                byte[] key = Files.readAllBytes(file);
                if (key.length != 32) {
                    throw new IllegalStateException(file + " must hold 32 bytes; restore it from a backup");
                }
                return key;
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            try {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.write(file, key);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create " + file, e);
        }
    }
}
