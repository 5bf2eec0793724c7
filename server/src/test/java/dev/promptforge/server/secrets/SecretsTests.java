package dev.promptforge.server.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.promptforge.server.audit.AuditChain;
import dev.promptforge.server.shared.DataDirectory;
import dev.promptforge.server.support.ApiTestBase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Secrets at rest on both databases: encrypted rows, audited without values, nothing in logs. */
@ExtendWith(OutputCaptureExtension.class)
abstract class SecretsTests extends ApiTestBase {

    @Autowired
    Secrets secrets;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    DataDirectory dataDirectory;

    private static String value() {
        return "sk-test-" + UUID.randomUUID();
    }

    private Map<String, Object> row(String name) {
        return jdbc.sql("SELECT key_id, wrapped_key, ciphertext FROM secrets WHERE name = :name")
                .param("name", name)
                .query()
                .singleRow();
    }

    private static Object column(Map<String, Object> row, String name) {
        return row.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .findFirst()
                .orElseThrow()
                .getValue();
    }

    @Test
    void stores_a_secret_encrypted_and_gives_it_back(CapturedOutput output) {
        // given
        String name = "provider/" + unique("openai");
        String value = value();
        // when
        secrets.put(name, value);
        // then
        assertThat(secrets.get(name).orElseThrow().reveal()).isEqualTo(value);
        Map<String, Object> row = row(name);
        String stored = row.values().toString();
        assertThat(stored)
                .doesNotContain(value)
                .doesNotContain(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
        String keyring = jdbc.sql("SELECT key_id FROM secret_keyring")
                .query(String.class)
                .single();
        assertThat(column(row, "key_id")).isEqualTo(keyring);
        // the same value under another name has its own data key and ciphertext
        String other = name + "-copy";
        secrets.put(other, value);
        assertThat(column(row(other), "wrapped_key")).isNotEqualTo(column(row, "wrapped_key"));
        assertThat(column(row(other), "ciphertext")).isNotEqualTo(column(row, "ciphertext"));
        // a replaced value reads back; a deleted one is gone
        String replaced = value();
        secrets.put(name, replaced);
        assertThat(secrets.get(name).orElseThrow().reveal()).isEqualTo(replaced);
        assertThat(secrets.names("provider/")).contains(name, other);
        assertThat(secrets.delete(other)).isTrue();
        assertThat(secrets.delete(other)).isFalse();
        assertThat(secrets.get(other)).isEmpty();
        // and the value never reached the log
        assertThat(output.getAll()).doesNotContain(value).doesNotContain(replaced);
        assertThat(secrets.get(name).orElseThrow().toString()).isEqualTo("***");
    }

    @Test
    void refuses_a_ciphertext_that_was_altered_or_moved_to_another_name(CapturedOutput output) {
        // given
        String a = "webhook/" + unique("a");
        String b = "webhook/" + unique("b");
        String valueA = value();
        secrets.put(a, valueA);
        secrets.put(b, value());
        // when b's row is overwritten with a's encrypted value and key
        Map<String, Object> rowA = row(a);
        jdbc.sql("UPDATE secrets SET wrapped_key = :w, ciphertext = :c WHERE name = :b")
                .param("w", column(rowA, "wrapped_key"))
                .param("c", column(rowA, "ciphertext"))
                .param("b", b)
                .update();
        // then it does not decrypt under b's name
        assertThatThrownBy(() -> secrets.get(b))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not decrypt")
                .hasMessageNotContaining(valueA);
        // and a flipped byte in a's ciphertext is refused too
        byte[] ciphertext = Base64.getDecoder().decode((String) column(rowA, "ciphertext"));
        ciphertext[ciphertext.length / 2] ^= 1;
        jdbc.sql("UPDATE secrets SET ciphertext = :c WHERE name = :a")
                .param("c", Base64.getEncoder().encodeToString(ciphertext))
                .param("a", a)
                .update();
        assertThatThrownBy(() -> secrets.get(a)).hasMessageContaining("does not decrypt");
        assertThat(output.getAll()).doesNotContain(valueA);
        // a damaged secret can still be deleted (a key rotation refuses to run while one exists)
        assertThat(secrets.delete(a)).isTrue();
        assertThat(secrets.delete(b)).isTrue();
    }

    @Test
    void audits_secret_changes_by_name_without_the_value() {
        // given
        String name = "integration/" + unique("jira");
        String value = value();
        long before =
                jdbc.sql("SELECT MAX(seq) FROM audit_log").query(Long.class).single();
        // when
        secrets.put(name, value);
        secrets.delete(name);
        // then
        var entries = jdbc.sql("SELECT * FROM audit_log WHERE seq > :seq ORDER BY seq")
                .param("seq", before)
                .query()
                .listOfRows();
        assertThat(entries).hasSize(2);
        assertThat(entries.stream().map(e -> column(e, "action"))).containsExactly("secret.put", "secret.delete");
        assertThat(entries.stream().map(e -> column(e, "target"))).containsOnly("secret/" + name);
        String valueHash = AuditChain.stateHash(value);
        assertThat(entries.toString()).doesNotContain(value).doesNotContain(valueHash);
        // nor do the audit API's answers show it
        assertThat(api.get("/api/v1/audit?target=secret/" + name).body())
                .contains("secret.put")
                .doesNotContain(value);
        assertThat(api.get("/api/v1/audit/export?target=secret/" + name).body())
                .contains("secret.delete")
                .doesNotContain(value);
        assertThat(api.get("/api/v1/audit/verify").json().get("valid").asBoolean())
                .isTrue();
    }

    @Test
    void rejects_names_that_are_not_paths() {
        for (String name :
                new String[] {"", "Provider/OpenAI", "/leading", "trailing/", "a//b", "a b", "x".repeat(201)}) {
            assertThatThrownBy(() -> secrets.put(name, "v"))
                    .as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a secret name");
        }
    }

    @Test
    void a_running_server_follows_a_rotation_of_its_key_file() throws Exception {
        // given
        String name = "provider/" + unique("anthropic");
        String value = value();
        secrets.put(name, value);
        MasterKeyStore store = new MasterKeyStore(null, null, dataDirectory.path());
        String keyring = jdbc.sql("SELECT key_id FROM secret_keyring")
                .query(String.class)
                .single();
        MasterKey current = store.load(keyring, false);
        MasterKey next = MasterKey.generate();
        // when the key is rotated the way 'promptforge keys rotate' does it
        store.writePending(next);
        try (Connection connection = dataSource.getConnection()) {
            KeyRotation.rotate(connection, current, next, "test", System.currentTimeMillis());
        }
        store.commitPending();
        // then the server reads and writes under the new key
        assertThat(column(row(name), "key_id")).isEqualTo(next.id());
        assertThat(secrets.get(name).orElseThrow().reveal()).isEqualTo(value);
        String later = name + "-later";
        secrets.put(later, value);
        assertThat(column(row(later), "key_id")).isEqualTo(next.id());
        assertThat(api.get("/api/v1/audit/verify").json().get("valid").asBoolean())
                .isTrue();
    }
}
