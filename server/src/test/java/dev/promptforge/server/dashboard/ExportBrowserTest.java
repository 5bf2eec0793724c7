package dev.promptforge.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The records page's export links download exactly the filtered records. */
class ExportBrowserTest extends ProjectPagesBrowserTestBase {

    @Test
    void the_csv_export_link_downloads_the_filtered_records() throws IOException {
        // given
        execute("What does a wire transfer cost? (1)");
        String matching = execute("=cmd|' /C calc'!A0, where is \"my\" card?");
        execute("What does a wire transfer cost? (2)");
        signInAsAdmin();
        page.navigate(base() + "/records?q=calc");
        // when
        Download download = page.waitForDownload(
                () -> page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Export CSV"))
                        .click());
        // then
        assertThat(download.suggestedFilename())
                .startsWith(project + "-records-")
                .endsWith(".csv");
        String csv = Files.readString(download.path());
        List<String> lines = records(csv);
        assertThat(lines.getFirst()).startsWith("id,created_at,project,prompt,version,");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith(matching + ",").contains(project + ",faq,1,");
    }

    /** The lines of a CSV text: CRLF outside quotes ends one. */
    private static List<String> records(String csv) {
        List<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (!quoted && c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                lines.add(line.toString());
                line.setLength(0);
                i++;
            } else {
                line.append(c);
            }
        }
        assertThat(line).isEmpty();
        return lines;
    }

    @Test
    void the_jsonl_export_link_downloads_the_filtered_records() throws IOException {
        // given
        String first = execute("What does a wire transfer cost? (1)");
        execute("Is card replacement free?");
        String third = execute("What does a wire transfer cost? (2)");
        signInAsAdmin();
        page.navigate(base() + "/records?q=a+wire+transfer");
        // when
        Download download = page.waitForDownload(
                () -> page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Export JSONL"))
                        .click());
        // then
        assertThat(download.suggestedFilename())
                .startsWith(project + "-records-")
                .endsWith(".jsonl");
        List<JsonNode> rows = Arrays.stream(Files.readString(download.path()).split("\n"))
                .map(line -> JsonMapper.builder().build().readTree(line))
                .toList();
        assertThat(rows).extracting(row -> row.get("id").asString()).containsExactly(third, first);
        assertThat(rows.getFirst().get("project").asString()).isEqualTo(project);
    }

    @Test
    void a_bad_filter_is_an_error_page_and_the_leaderboard_downloads_as_csv() {
        // given
        execute("What does a wire transfer cost?");
        signInAsAdmin();
        // when
        var bad = page.request().get(base() + "/export/records.csv?status=maybe");
        var leaderboard = page.request().get(base() + "/export/leaderboard.csv?range=24h");
        // then
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).contains("400 · Bad request").contains("must be &#39;ok&#39; or &#39;error&#39;");
        assertThat(leaderboard.status()).isEqualTo(200);
        assertThat(leaderboard.headers().get("content-disposition"))
                .contains("attachment")
                .contains(project);
        assertThat(leaderboard.text())
                .startsWith("prompt,version,model,records,")
                .contains("faq,1,local/extractive,1,0");
    }
}
