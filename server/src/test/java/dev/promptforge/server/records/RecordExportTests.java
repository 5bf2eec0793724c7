package dev.promptforge.server.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.Http;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The streamed export writes exactly the filtered records, on both databases, in more than one fetch. */
abstract class RecordExportTests extends ApiTestBase {

    @Autowired
    RecordExport export;

    private String project;

    @BeforeEach
    void createProject() {
        project = unique("export");
        api.post("/api/v1/projects", Http.json(Map.of("name", project)));
    }

    private void execute(String text, String model) {
        Http.Response response = api.post(
                "/api/v1/prompt/execute",
                Http.json(Map.of(
                        "project",
                        project,
                        "model",
                        model,
                        "messages",
                        List.of(Map.of("role", "user", "content", text)))));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    private static Records.Filter filter(String project, String model) {
        return new Records.Filter(project, null, null, model, null, null, null, null, null, null, null, null);
    }

    @Test
    void writes_every_filtered_record_across_several_fetches() {
        // given: more records than one fetch holds, and some of another model
        int rows = RecordExport.FETCH_SIZE + 20;
        for (int i = 0; i < rows; i++) {
            execute("=1+" + i + ", \"quoted\"", "local/echo");
        }
        execute("other", "local/extractive");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // when
        long written = export.prepare(filter(project, "local/echo")).write(RecordExport.Format.CSV, out);
        // then
        String csv = out.toString(StandardCharsets.UTF_8);
        List<String> lines = List.of(csv.split("\r\n"));
        assertThat(written).isEqualTo(rows);
        assertThat(lines).hasSize(rows + 1);
        assertThat(lines.getFirst()).isEqualTo(String.join(",", RecordExport.COLUMNS));
        assertThat(lines.subList(1, lines.size()))
                .allSatisfy(line -> assertThat(line)
                        .contains("," + project + ",")
                        .contains(",local/echo,")
                        .doesNotContain("local/extractive"));
        // the answer of local/echo is the text: defused and quoted
        assertThat(lines.get(1)).endsWith(",\"'=1+" + (rows - 1) + ", \"\"quoted\"\"\"");
    }

    @Test
    void writes_json_lines() {
        // given
        execute("one", "local/echo");
        execute("two", "local/echo");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // when
        export.prepare(filter(project, null)).write(RecordExport.Format.JSONL, out);
        // then
        List<String> lines = List.of(out.toString(StandardCharsets.UTF_8).split("\n"));
        assertThat(lines).hasSize(2);
        assertThat(lines.getFirst()).startsWith("{\"id\":").contains("\"output\":\"two\"");
        assertThat(lines.get(1)).contains("\"output\":\"one\"");
    }
}
