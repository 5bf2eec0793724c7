package dev.promptforge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PiiCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        CommandLine cli = PromptForgeCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private int runWithStdin(String stdin, String... args) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return run(args);
        } finally {
            System.setIn(original);
        }
    }

    @Test
    void analyze_writes_one_json_line_per_input_line_in_order() {
        // given
        String stdin = "{\"text\": \"Mail jane@example.com\"}\n{\"text\": \"nothing here\"}\n"
                + "{\"text\": \"Card 4111 1111 1111 1111\", \"id\": 7}\n";

        // when
        int code = runWithStdin(stdin, "pii", "analyze");

        // then
        assertThat(code).isZero();
        assertThat(out.toString().lines())
                .containsExactly(
                        "{\"entities\":[{\"type\":\"EMAIL_ADDRESS\",\"start\":5,\"end\":21,\"score\":1.0}]}",
                        "{\"entities\":[]}",
                        "{\"entities\":[{\"type\":\"CREDIT_CARD\",\"start\":5,\"end\":24,\"score\":1.0}]}");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void anonymize_replaces_with_numbered_placeholders_by_default() {
        // when
        int code = run("pii", "anonymize", "--text", "jane@example.com wrote to bob@example.com and jane@example.com");

        // then
        assertThat(code).isZero();
        assertThat(out.toString().strip())
                .isEqualTo("{\"text\":\"<EMAIL_ADDRESS_1> wrote to <EMAIL_ADDRESS_2> and <EMAIL_ADDRESS_1>\","
                        + "\"items\":[{\"type\":\"EMAIL_ADDRESS\",\"start\":0,\"end\":17,\"operator\":\"placeholder\"},"
                        + "{\"type\":\"EMAIL_ADDRESS\",\"start\":27,\"end\":44,\"operator\":\"placeholder\"},"
                        + "{\"type\":\"EMAIL_ADDRESS\",\"start\":49,\"end\":66,\"operator\":\"placeholder\"}]}");
    }

    @Test
    void anonymize_reads_a_file_and_applies_the_chosen_operator_and_entities() throws Exception {
        // given
        Path input = dir.resolve("in.jsonl");
        Files.writeString(input, "{\"text\": \"Card 4111 1111 1111 1111, mail jane@example.com\"}\n");

        // when
        int code =
                run("pii", "anonymize", "--input", input.toString(), "--operator", "mask", "--entities", "CREDIT_CARD");

        // then
        assertThat(code).isZero();
        assertThat(out.toString()).startsWith("{\"text\":\"Card **** **** **** 1111, mail jane@example.com\"");
    }

    @Test
    void bad_json_line_gives_one_line_on_stderr_and_a_non_zero_exit() {
        // given
        String stdin = "{\"text\": \"ok\"}\nnot json\n{\"text\": \"never read\"}\n";

        // when
        int code = runWithStdin(stdin, "pii", "analyze");

        // then
        assertThat(code).isEqualTo(1);
        assertThat(out.toString().lines()).containsExactly("{\"entities\":[]}");
        assertThat(err.toString().strip().lines()).hasSize(1);
        assertThat(err.toString()).startsWith("promptforge: line 2: not JSON");
    }

    @Test
    void a_line_without_a_text_string_is_bad_input() {
        // when
        int code = runWithStdin("{\"body\": \"x\"}\n", "pii", "analyze");

        // then
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo("promptforge: line 1: expected a string field \"text\"");
    }

    @Test
    void rejects_unknown_entity_types_and_operators() {
        assertThat(run("pii", "analyze", "--text", "x", "--entities", "SHOE_SIZE"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("unknown entity type 'SHOE_SIZE'");
        assertThat(run("pii", "anonymize", "--text", "x", "--operator", "shred"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("--operator must be placeholder, replace, redact or mask");
    }

    @Test
    void lists_pii_among_the_commands() {
        // when
        int code = run();

        // then
        assertThat(code).isZero();
        assertThat(out.toString()).contains("pii");
    }
}
