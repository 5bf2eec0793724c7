package dev.promptforge.server.shared;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where PromptForge keeps its files: the embedded database, generated credentials and keys.
 *
 * @param dataDir the directory ({@code promptforge.data-dir}, env {@code PROMPTFORGE_DATA_DIR})
 */
@ConfigurationProperties("promptforge")
public record DataDirectory(@DefaultValue("./data") Path dataDir) {

    /** The directory, created owner-only on first use. */
    public Path path() {
        Path dir = dataDir.toAbsolutePath().normalize();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                try {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException e) {
                    // Not a POSIX file system: the platform's defaults apply.
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + dataDir.toAbsolutePath(), e);
        }
    }
}
