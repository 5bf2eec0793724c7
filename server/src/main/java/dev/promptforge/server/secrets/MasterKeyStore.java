package dev.promptforge.server.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.jspecify.annotations.Nullable;

/**
 * Where the master key comes from, shared by the server and {@code promptforge keys rotate}: the
 * environment ({@code PROMPTFORGE_MASTER_KEY}, base64 of 32 bytes) when set, else a key file ({@code
 * PROMPTFORGE_MASTER_KEY_FILE}, default {@value #FILE} in the data directory). The default file is
 * generated, owner-only, when it does not exist yet.
 *
 * <p>A rotation writes the new key to {@code <file>.new} first, re-encrypts in one database
 * transaction, then moves the new file into place. If it stops in between, {@link #load} finishes or
 * drops the pending file by the key id the database names, so no state is half-rotated.
 */
public final class MasterKeyStore {

    /** The key file's name in the data directory. */
    public static final String FILE = "master.key";

    static final String PENDING = ".new";

    private final @Nullable String environmentKey;
    private final Path file;
    private final boolean explicitFile;

    /**
     * @param environmentKey the key from the environment (base64), or null/blank
     * @param keyFile the configured key file, or null for {@value #FILE} in the data directory
     * @param dataDir the data directory
     */
    public MasterKeyStore(@Nullable String environmentKey, @Nullable Path keyFile, Path dataDir) {
        this.environmentKey = environmentKey == null || environmentKey.isBlank() ? null : environmentKey;
        this.explicitFile = keyFile != null && !keyFile.toString().isBlank();
        this.file = (explicitFile ? keyFile : dataDir.resolve(FILE))
                .toAbsolutePath()
                .normalize();
    }

    /** Whether the key comes from {@code PROMPTFORGE_MASTER_KEY} (then rotation needs the new key given). */
    public boolean fromEnvironment() {
        return environmentKey != null;
    }

    /** The key file (used when the key is not in the environment). */
    public Path file() {
        return file;
    }

    /** A description of where the key comes from, without the key. */
    public String origin() {
        return fromEnvironment() ? "PROMPTFORGE_MASTER_KEY" : file.toString();
    }

    /**
     * The current master key.
     *
     * @param expectedId the key id the database names, or null when it names none yet; settles a
     *     rotation that stopped between the database and the key file
     * @param generate whether to generate the default key file when it does not exist
     */
    public MasterKey load(@Nullable String expectedId, boolean generate) {
        if (environmentKey != null) {
            return MasterKey.fromBase64(environmentKey, "PROMPTFORGE_MASTER_KEY");
        }
        Path pending = pendingFile();
        try {
            if (Files.exists(pending)) {
                MasterKey next = read(pending);
                if (next.id().equals(expectedId)) {
                    Files.move(pending, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    return next;
                }
                Files.delete(pending);
            }
            if (Files.exists(file)) {
                return read(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the master key file " + file, e);
        }
        if (explicitFile) {
            throw new IllegalStateException("The master key file " + file + " (PROMPTFORGE_MASTER_KEY_FILE) does not"
                    + " exist: restore it from your backup, or unset PROMPTFORGE_MASTER_KEY_FILE");
        }
        if (!generate) {
            throw new IllegalStateException("There is no master key: set PROMPTFORGE_MASTER_KEY or"
                    + " PROMPTFORGE_MASTER_KEY_FILE, or start the server once to generate " + file);
        }
        MasterKey key = MasterKey.generate();
        write(file, key);
        return key;
    }

    /** Writes the next key beside the current one, owner-only (the first step of a rotation). */
    public void writePending(MasterKey next) {
        try {
            Files.deleteIfExists(pendingFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot replace " + pendingFile(), e);
        }
        write(pendingFile(), next);
    }

    /** Moves the pending key into place, atomically (the last step of a rotation). */
    public void commitPending() {
        try {
            Files.move(pendingFile(), file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot move " + pendingFile() + " to " + file, e);
        }
    }

    /** Drops the pending key (a rotation that did not commit). */
    public void discardPending() {
        try {
            Files.deleteIfExists(pendingFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + pendingFile(), e);
        }
    }

    Path pendingFile() {
        return file.resolveSibling(file.getFileName() + PENDING);
    }

    private static MasterKey read(Path path) throws IOException {
        return MasterKey.fromBase64(Files.readString(path, StandardCharsets.US_ASCII), "The master key file " + path);
    }

    private static void write(Path path, MasterKey key) {
        try {
            Files.createDirectories(path.getParent());
            try {
                Files.createFile(
                        path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(path);
            }
            Files.writeString(path, key.toBase64() + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the master key file " + path, e);
        }
    }
}
