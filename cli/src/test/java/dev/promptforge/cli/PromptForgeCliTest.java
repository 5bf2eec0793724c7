package dev.promptforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PromptForgeCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = PromptForgeCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void lists_the_commands_without_arguments() {
        assertThat(run()).isZero();
        assertThat(out.toString()).contains("serve");
    }

    @Test
    void builds_only_the_invoked_subcommand_and_every_one_otherwise() {
        assertThat(PromptForgeCli.commandLine("eval").getSubcommands()).containsOnlyKeys("eval");
        assertThat(PromptForgeCli.commandLine("help").getSubcommands())
                .containsOnlyKeys(
                        "serve",
                        "dashboard",
                        "pii",
                        "eval",
                        "pipeline",
                        "audit",
                        "keys",
                        "user",
                        "key",
                        "seed-records",
                        "help");
        assertThat(PromptForgeCli.commandLine("--version").getSubcommands())
                .containsOnlyKeys(
                        "serve",
                        "dashboard",
                        "pii",
                        "eval",
                        "pipeline",
                        "audit",
                        "keys",
                        "user",
                        "key",
                        "seed-records",
                        "help");
    }

    @Test
    void rejects_an_unknown_command_with_one_line_on_stderr() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.toString().strip().lines()).hasSize(1);
        assertThat(err.toString()).startsWith("promptforge: Unmatched argument");
    }

    @Test
    void rejects_a_port_that_is_not_a_number() {
        assertThat(run("serve", "--port", "eighty")).isEqualTo(2);
        assertThat(err.toString()).contains("--port").contains("eighty").contains("(see 'promptforge serve --help')");
    }

    @Test
    void rejects_an_out_of_range_port_without_starting_a_server() {
        assertThat(run("serve", "--port", "70000")).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo("promptforge: --port must be from 0 to 65535, got 70000");
    }

    @Test
    void rejects_a_stray_argument_to_serve() {
        assertThat(run("serve", "now")).isEqualTo(1);
        assertThat(err.toString()).contains("unknown argument 'now'");
    }
}
