package dev.promptforge.server.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.promptforge.server.PromptForgeApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The master key at start: generated on the first start, and a wrong key stops the next one. */
class SecretsStartTest {

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext start(String... extra) {
        String[] base = {
            "--server.port=0",
            "--promptforge.data-dir=" + dataDir,
            "--promptforge.db.url=",
            "--promptforge.demo.enabled=false",
            "--promptforge.bootstrap.api-key=pf_secrets-start-test-key",
            "--promptforge.bootstrap.admin-password=secrets-start",
            "--logging.structured.format.console=",
            "--logging.level.root=warn"
        };
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return new SpringApplicationBuilder(PromptForgeApplication.class).run(args);
    }

    @Test
    void generates_the_master_key_on_first_start_and_refuses_another_key_later() throws Exception {
        // when the server starts on an empty data directory
        String stored;
        try (ConfigurableApplicationContext context = start()) {
            context.getBean(Secrets.class).put("provider/openai", "sk-start-test");
            stored = Files.readString(dataDir.resolve(MasterKeyStore.FILE));
        }
        // then the key file is owner-only
        assertThat(Files.getPosixFilePermissions(dataDir.resolve(MasterKeyStore.FILE)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        // and the same key is used again
        try (ConfigurableApplicationContext context = start()) {
            assertThat(context.getBean(Secrets.class)
                            .get("provider/openai")
                            .orElseThrow()
                            .reveal())
                    .isEqualTo("sk-start-test");
        }
        // when another key is given, the start fails and says why, without the key
        String other = MasterKey.generate().toBase64();
        assertThatThrownBy(
                        () -> start("--promptforge.secrets.master-key=" + other).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not the key the secrets in this database are encrypted with")
                .hasMessageNotContaining(other)
                .hasMessageNotContaining(stored.strip());
    }
}
