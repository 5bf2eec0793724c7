package dev.promptforge.server.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyStoreTest {

    @TempDir
    Path dir;

    @Test
    void generates_an_owner_only_key_file_once_and_reads_it_back() throws Exception {
        // when
        MasterKey first = new MasterKeyStore(null, null, dir).load(null, true);
        MasterKey second = new MasterKeyStore(null, null, dir).load(first.id(), true);
        // then
        Path file = dir.resolve(MasterKeyStore.FILE);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).hasSize(32);
        assertThat(second.id()).isEqualTo(first.id()).matches("[0-9a-f]{16}");
        assertThat(first.toString()).doesNotContain(Files.readString(file).strip());
    }

    @Test
    void the_environment_wins_over_the_file_and_a_bad_value_is_named_without_being_shown() {
        // given
        new MasterKeyStore(null, null, dir).load(null, true);
        MasterKey given = MasterKey.generate();
        // when
        MasterKey loaded = new MasterKeyStore(given.toBase64(), null, dir).load(null, false);
        // then
        assertThat(loaded.id()).isEqualTo(given.id());
        String tooShort = Base64.getEncoder().encodeToString("sixteen-byte-key".getBytes());
        assertThatThrownBy(() -> new MasterKeyStore(tooShort, null, dir).load(null, false))
                .hasMessageContaining("PROMPTFORGE_MASTER_KEY must be 32 bytes")
                .hasMessageNotContaining(tooShort);
        assertThatThrownBy(() -> new MasterKeyStore("not base64!", null, dir).load(null, false))
                .hasMessageContaining("not base64");
    }

    @Test
    void a_configured_key_file_must_exist_and_nothing_is_generated_unless_asked() {
        assertThatThrownBy(() -> new MasterKeyStore(null, dir.resolve("missing.key"), dir).load(null, true))
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> new MasterKeyStore(null, null, dir).load(null, false))
                .hasMessageContaining("There is no master key");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void settles_a_rotation_that_stopped_between_the_database_and_the_key_file() {
        // given a pending key next to the current one
        MasterKeyStore store = new MasterKeyStore(null, null, dir);
        MasterKey old = store.load(null, true);
        MasterKey next = MasterKey.generate();
        store.writePending(next);
        // when the database already names the new key, it is moved into place
        assertThat(store.load(next.id(), false).id()).isEqualTo(next.id());
        assertThat(store.pendingFile()).doesNotExist();
        assertThat(new MasterKeyStore(null, null, dir).load(null, false).id()).isEqualTo(next.id());
        // when the database still names the old key, the pending one is dropped
        MasterKey third = MasterKey.generate();
        store.writePending(third);
        assertThat(store.load(next.id(), false).id()).isEqualTo(next.id());
        assertThat(store.pendingFile()).doesNotExist();
        assertThat(old.id()).isNotEqualTo(next.id());
    }
}
