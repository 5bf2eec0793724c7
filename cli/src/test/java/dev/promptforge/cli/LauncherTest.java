package dev.promptforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ./promptforge} launcher on a machine whose only JDK is too old. */
class LauncherTest {

    @TempDir
    Path dir;

    @Test
    void says_in_one_line_that_a_jdk_21_is_needed_when_only_an_older_one_exists() throws Exception {
        // given a JDK 17 on the PATH and no other JDK anywhere the launcher looks
        Path jdk = Files.createDirectories(dir.resolve("jdk-17/bin"));
        Files.writeString(dir.resolve("jdk-17/release"), "JAVA_VERSION=\"17.0.15\"\n");
        Path java = jdk.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"17.0.15\" 2025-04-15' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path launcher = repositoryRoot().resolve("promptforge");
        ProcessBuilder builder = new ProcessBuilder("bash", launcher.toString(), "--version");
        builder.environment().clear();
        builder.environment().put("HOME", dir.toString());
        builder.environment().put("PATH", jdk + ":/usr/bin:/bin");
        builder.environment()
                .put("PROMPTFORGE_JDK_DIRS", dir.resolve("nothing-here").toString());
        // when
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // then
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(out).isEmpty();
        assertThat(err.lines())
                .containsExactly(
                        "PromptForge needs a JDK 21 or newer: install one (e.g. Temurin 21+) or set JAVA_HOME to it.");
    }

    private static Path repositoryRoot() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("promptforge"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IOException(
                    "the promptforge launcher is not above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
