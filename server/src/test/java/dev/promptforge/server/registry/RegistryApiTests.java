package dev.promptforge.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.Http;
import dev.promptforge.server.support.Http.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The registry's routes through HTTP; run on SQLite and on PostgreSQL by the subclasses. */
abstract class RegistryApiTests extends ApiTestBase {

    private String project;

    @BeforeEach
    void createProject() {
        project = unique("proj");
        assertThat(api.post("/api/v1/projects", Http.json(Map.of("name", project)))
                        .status())
                .isEqualTo(201);
    }

    private String prompts() {
        return "/api/v1/projects/" + project + "/prompts";
    }

    private String createPrompt(String... tags) {
        String name = unique("prompt");
        Response response = api.post(prompts(), Http.json(Map.of("name", name, "tags", List.of(tags))));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return name;
    }

    private Response createVersion(String prompt, Map<String, Object> body) {
        return api.post(prompts() + "/" + prompt + "/versions", Http.json(body));
    }

    private static Map<String, Object> template(String template, String... variables) {
        return Map.of("template", template, "model", "local/echo", "variables", List.of(variables));
    }

    // --- projects

    @Test
    void creates_a_project_and_gets_it_by_name() {
        // given
        String name = unique("bank");
        // when
        Response created = api.post(
                "/api/v1/projects", Http.json(Map.of("name", name, "description", "Retail banking assistants")));
        Response fetched = api.get("/api/v1/projects/" + name);
        // then
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/v1/projects/" + name);
        assertThat(created.json().get("createdBy").asString()).isEqualTo("admin");
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json().get("description").asString()).isEqualTo("Retail banking assistants");
    }

    @Test
    void rejects_a_project_name_that_is_not_a_slug() {
        // when
        Response response = api.post("/api/v1/projects", Http.json(Map.of("name", "My Project!")));
        // then
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("name");
        assertThat(response.json().get("detail").asString()).contains("not a valid name");
    }

    @Test
    void rejects_a_project_without_a_name() {
        Response response = api.post("/api/v1/projects", "{}");
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().get("detail").asString()).isEqualTo("name: is required");
    }

    @Test
    void rejects_a_duplicate_project_with_409() {
        Response response = api.post("/api/v1/projects", Http.json(Map.of("name", project)));
        assertThat(response.status()).isEqualTo(409);
        assertThat(response.json().get("detail").asString()).contains(project);
    }

    @Test
    void creates_a_project_once_under_concurrent_requests() throws Exception {
        // given
        String name = unique("race");
        // when
        List<Integer> statuses = parallel(
                10,
                i -> api.post("/api/v1/projects", Http.json(Map.of("name", name)))
                        .status());
        // then
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(9);
    }

    @Test
    void answers_404_for_an_unknown_project() {
        Response response = api.get("/api/v1/projects/" + unique("nope") + "/prompts");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("title").asString()).isEqualTo("Not found");
        assertThat(response.json().get("detail").asString()).contains("does not exist");
    }

    @Test
    void pages_through_projects_with_a_cursor() {
        // given
        String prefix = unique("page");
        for (String suffix : List.of("a", "b", "c")) {
            api.post("/api/v1/projects", Http.json(Map.of("name", prefix + "-" + suffix)));
        }
        // when
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = api.get("/api/v1/projects?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.json().get("items").size()).isLessThanOrEqualTo(2);
            page.json().get("items").forEach(p -> seen.add(p.get("name").asString()));
            JsonNode next = page.json().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asString();
            pages++;
        } while (cursor != null && pages < 1000);
        // then
        assertThat(seen).doesNotHaveDuplicates().isSorted();
        assertThat(seen).contains(prefix + "-a", prefix + "-b", prefix + "-c");
    }

    @Test
    void rejects_a_garbled_cursor_and_an_out_of_range_limit() {
        assertThat(api.get("/api/v1/projects?cursor=!!!").status()).isEqualTo(400);
        Response limit = api.get("/api/v1/projects?limit=0");
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.json().get("detail").asString()).contains("limit");
        assertThat(api.get("/api/v1/projects?limit=abc").json().get("detail").asString())
                .contains("'limit' must be an integer");
    }

    // --- prompts

    @Test
    void creates_gets_and_lists_prompts_filtered_by_tag() {
        // given
        String support = createPrompt("support", "banking");
        String other = createPrompt("insurance");
        // when
        Response one = api.get(prompts() + "/" + support);
        Response tagged = api.get(prompts() + "?tag=support");
        Response all = api.get(prompts());
        // then
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("tags").toString()).isEqualTo("[\"banking\",\"support\"]");
        assertThat(one.json().get("latestVersion").isNull()).isTrue();
        assertThat(names(tagged)).containsExactly(support);
        assertThat(names(all)).containsExactlyInAnyOrder(support, other);
    }

    @Test
    void pages_through_prompts_and_searches_text() {
        // given
        List<String> created =
                IntStream.range(0, 5).mapToObj(i -> createPrompt()).sorted().toList();
        // when
        Response first = api.get(prompts() + "?limit=3");
        Response second = api.get(
                prompts() + "?limit=3&cursor=" + first.json().get("nextCursor").asString());
        Response search = api.get(prompts() + "?q=" + created.get(2).substring(7));
        // then
        assertThat(names(first)).containsExactlyElementsOf(created.subList(0, 3));
        assertThat(names(second)).containsExactlyElementsOf(created.subList(3, 5));
        assertThat(second.json().get("nextCursor").isNull()).isTrue();
        assertThat(names(search)).containsExactly(created.get(2));
    }

    @Test
    void rejects_duplicate_prompts_and_bad_tags() {
        String name = createPrompt();
        assertThat(api.post(prompts(), Http.json(Map.of("name", name))).status())
                .isEqualTo(409);
        Response badTag = api.post(prompts(), Http.json(Map.of("name", unique("p"), "tags", List.of("Not A Slug"))));
        assertThat(badTag.status()).isEqualTo(422);
        assertThat(badTag.json().get("errors").get(0).get("field").asString()).isEqualTo("tags[0]");
    }

    @Test
    void answers_404_for_an_unknown_prompt() {
        Response response = api.get(prompts() + "/missing-prompt");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("detail").asString())
                .isEqualTo("Prompt 'missing-prompt' does not exist in project '" + project + "'.");
    }

    @Test
    void archives_a_prompt_which_then_leaves_listings_and_refuses_versions() {
        // given
        String name = createPrompt();
        // when
        Response archived = api.post(prompts() + "/" + name + "/archive", null);
        // then
        assertThat(archived.status()).isEqualTo(200);
        assertThat(archived.json().get("archived").asBoolean()).isTrue();
        assertThat(names(api.get(prompts()))).doesNotContain(name);
        assertThat(names(api.get(prompts() + "?archived=true"))).contains(name);
        Response version = createVersion(name, template("Hello"));
        assertThat(version.status()).isEqualTo(409);
        assertThat(version.json().get("detail").asString()).contains("archived");
    }

    // --- versions

    @Test
    void creates_immutable_numbered_versions_with_hash_author_and_time() {
        // given
        String name = createPrompt();
        // when
        Response v1 = createVersion(
                name,
                Map.of(
                        "template", "Hello {{name}}",
                        "model", "local/echo",
                        "variables", List.of("name"),
                        "parameters", Map.of("temperature", 0.2, "max_tokens", 100),
                        "commitMessage", "first"));
        Response v2 = createVersion(name, template("Hi {{name}}!", "name"));
        // then
        assertThat(v1.status()).isEqualTo(201);
        assertThat(v1.json().get("version").asInt()).isEqualTo(1);
        assertThat(v1.json().get("contentHash").asString()).matches("sha256:[0-9a-f]{64}");
        assertThat(v1.json().get("createdBy").asString()).isEqualTo("admin");
        assertThat(v1.json().get("createdAt").asString()).isNotBlank();
        assertThat(v1.json().get("parameters").get("max_tokens").asInt()).isEqualTo(100);
        assertThat(v1.header("Location")).endsWith("/versions/1");
        assertThat(v2.json().get("version").asInt()).isEqualTo(2);
        Response list = api.get(prompts() + "/" + name + "/versions");
        assertThat(list.json().get("items").get(0).get("version").asInt()).isEqualTo(2);
        assertThat(list.json().get("items").get(1).get("commitMessage").asString())
                .isEqualTo("first");
        Response one = api.get(prompts() + "/" + name + "/versions/1");
        assertThat(one.json().get("template").asString()).isEqualTo("Hello {{name}}");
        assertThat(api.get(prompts() + "/" + name).json().get("latestVersion").asInt())
                .isEqualTo(2);
    }

    @Test
    void returns_the_latest_version_when_the_content_is_identical() {
        // given
        String name = createPrompt();
        createVersion(name, template("Same {{x}}", "x"));
        // when
        Response again = createVersion(
                name,
                Map.of(
                        "template",
                        "Same {{x}}",
                        "model",
                        "local/echo",
                        "variables",
                        List.of("x"),
                        "commitMessage",
                        "different message, same content"));
        // then
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("version").asInt()).isEqualTo(1);
        assertThat(api.get(prompts() + "/" + name + "/versions")
                        .json()
                        .get("items")
                        .size())
                .isEqualTo(1);
    }

    @Test
    void accepts_the_messages_form() {
        String name = createPrompt();
        Response response = createVersion(
                name,
                Map.of(
                        "messages",
                        List.of(
                                Map.of("role", "system", "content", "You help {{bank}} customers."),
                                Map.of("role", "user", "content", "{{question}}")),
                        "model",
                        "openai/gpt-4o-mini",
                        "variables",
                        List.of("bank", "question")));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.json().get("messages").get(0).get("role").asString())
                .isEqualTo("system");
        assertThat(response.json().has("template")).isFalse();
    }

    @Test
    void rejects_a_template_using_an_undeclared_variable_naming_it() {
        String name = createPrompt();
        Response response = createVersion(name, template("Dear {{customer}}, re: {{topic}}", "customer"));
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().get("detail").asString()).contains("'topic'").contains("not declared");
        assertThat(api.get(prompts() + "/" + name).json().get("latestVersion").isNull())
                .isTrue();
    }

    @Test
    void rejects_invalid_version_content_with_every_field_named() {
        String name = createPrompt();
        Response response = createVersion(
                name,
                Map.of(
                        "messages",
                        List.of(Map.of("role", "robot", "content", "")),
                        "model",
                        "gpt 4",
                        "parameters",
                        Map.of("temperature", 5, "max_tokens", 0)));
        assertThat(response.status()).isEqualTo(422);
        Set<String> fields = new HashSet<>();
        response.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields)
                .containsExactlyInAnyOrder(
                        "messages[0].role",
                        "messages[0].content",
                        "model",
                        "parameters.temperature",
                        "parameters.max_tokens");
    }

    @Test
    void rejects_both_or_neither_of_template_and_messages() {
        String name = createPrompt();
        Response neither = createVersion(name, Map.of("model", "local/echo"));
        Response both = createVersion(
                name,
                Map.of(
                        "template",
                        "x",
                        "messages",
                        List.of(Map.of("role", "user", "content", "x")),
                        "model",
                        "local/echo"));
        assertThat(neither.status()).isEqualTo(422);
        assertThat(neither.json().get("detail").asString()).contains("either \"template\"");
        assertThat(both.status()).isEqualTo(422);
    }

    @Test
    void rejects_a_template_with_a_syntax_error_giving_its_place() {
        String name = createPrompt();
        Response response = createVersion(name, template("line one\n{{#items}}unclosed", "items"));
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().get("detail").asString())
                .contains("never closed")
                .contains("line 2");
    }

    @Test
    void numbers_versions_without_gaps_or_duplicates_under_concurrent_creation() throws Exception {
        // given
        String name = createPrompt();
        // when
        List<Integer> versions = parallel(20, i -> {
            Response response = createVersion(name, template("Variant " + i));
            assertThat(response.status()).as(response.toString()).isEqualTo(201);
            return response.json().get("version").asInt();
        });
        // then
        assertThat(versions)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.rangeClosed(1, 20).boxed().toList());
        Response list = api.get(prompts() + "/" + name + "/versions?limit=50");
        assertThat(list.json().get("items").size()).isEqualTo(20);
    }

    @Test
    void answers_404_for_an_unknown_version_with_the_valid_range() {
        String name = createPrompt();
        createVersion(name, template("x"));
        Response response = api.get(prompts() + "/" + name + "/versions/7");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("detail").asString()).contains("versions are 1 to 1");
        assertThat(api.get(prompts() + "/" + name + "/versions/seven").status()).isEqualTo(400);
    }

    // --- diff

    @Test
    void diffs_content_model_parameters_and_variables() {
        // given
        String name = createPrompt();
        createVersion(
                name,
                Map.of(
                        "template",
                        "Line A\nLine B {{x}}\nLine C",
                        "model",
                        "local/echo",
                        "variables",
                        List.of("x"),
                        "parameters",
                        Map.of("temperature", 0.2, "top_p", 0.9)));
        createVersion(
                name,
                Map.of(
                        "template",
                        "Line A\nLine B {{y}}\nLine C",
                        "model",
                        "local/extractive",
                        "variables",
                        List.of("y"),
                        "parameters",
                        Map.of("temperature", 0.7, "max_tokens", 64)));
        // when
        Response diff = api.get(prompts() + "/" + name + "/diff?from=1&to=2");
        // then
        assertThat(diff.status()).isEqualTo(200);
        JsonNode body = diff.json();
        assertThat(body.get("identical").asBoolean()).isFalse();
        assertThat(body.get("content").get("unified").asString())
                .contains("-Line B {{x}}")
                .contains("+Line B {{y}}");
        JsonNode hunk = body.get("content").get("hunks").get(0);
        assertThat(hunk.get("type").asString()).isEqualTo("CHANGE");
        assertThat(hunk.get("fromLine").asInt()).isEqualTo(2);
        assertThat(body.get("model").get("to").asString()).isEqualTo("local/extractive");
        assertThat(body.get("parameters").toString())
                .isEqualTo("[{\"name\":\"max_tokens\",\"from\":null,\"to\":64},"
                        + "{\"name\":\"temperature\",\"from\":0.2,\"to\":0.7},"
                        + "{\"name\":\"top_p\",\"from\":0.9,\"to\":null}]");
        assertThat(body.get("variables").get("added").toString()).isEqualTo("[\"y\"]");
        assertThat(body.get("variables").get("removed").toString()).isEqualTo("[\"x\"]");
    }

    @Test
    void diff_needs_existing_versions_and_both_parameters() {
        String name = createPrompt();
        createVersion(name, template("x"));
        assertThat(api.get(prompts() + "/" + name + "/diff?from=1&to=9").status())
                .isEqualTo(404);
        Response missing = api.get(prompts() + "/" + name + "/diff?from=1");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("detail").asString()).contains("to");
    }

    // --- labels

    @Test
    void moves_labels_and_keeps_their_history() {
        // given
        String name = createPrompt();
        createVersion(name, template("one"));
        createVersion(name, template("two"));
        String labels = prompts() + "/" + name + "/labels";
        // when
        Response first = api.put(labels + "/production", "{\"version\": 1}");
        api.put(labels + "/staging", "{\"version\": 2}");
        Response moved = api.put(labels + "/production", "{\"version\": 2}");
        // then
        assertThat(first.status()).isEqualTo(200);
        assertThat(moved.json().get("version").asInt()).isEqualTo(2);
        assertThat(moved.json().get("updatedBy").asString()).isEqualTo("admin");
        JsonNode current = api.get(labels).json();
        assertThat(current.size()).isEqualTo(2);
        assertThat(current.get(0).get("name").asString()).isEqualTo("production");
        JsonNode history = api.get(labels + "/production/history").json();
        assertThat(history.size()).isEqualTo(2);
        assertThat(history.get(0).get("fromVersion").asInt()).isEqualTo(1);
        assertThat(history.get(0).get("toVersion").asInt()).isEqualTo(2);
        assertThat(history.get(1).get("fromVersion").isNull()).isTrue();
        assertThat(history.get(1).get("movedBy").asString()).isEqualTo("admin");
    }

    @Test
    void refuses_to_point_a_label_at_a_missing_version() {
        String name = createPrompt();
        createVersion(name, template("one"));
        String labels = prompts() + "/" + name + "/labels";
        Response missing = api.put(labels + "/production", "{\"version\": 5}");
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.json().get("detail").asString()).contains("the latest is 1");
        assertThat(api.put(labels + "/Prod!", "{\"version\": 1}").status()).isEqualTo(400);
        assertThat(api.put(labels + "/production", "{}").status()).isEqualTo(422);
        assertThat(api.get(labels + "/production/history").status()).isEqualTo(404);
        assertThat(api.get(labels).json().size()).isZero();
    }

    // --- rendering

    @Test
    void renders_the_production_version_with_variables() {
        // given
        String name = createPrompt();
        createVersion(
                name,
                Map.of(
                        "messages",
                        List.of(
                                Map.of("role", "system", "content", "You help {{bank}} customers."),
                                Map.of(
                                        "role",
                                        "user",
                                        "content",
                                        "{{#accounts}}- {{.}}\n{{/accounts}}Question: {{question}}")),
                        "model",
                        "local/echo",
                        "variables",
                        List.of("bank", "accounts", "question")));
        api.put(prompts() + "/" + name + "/labels/production", "{\"version\": 1}");
        // when
        Response rendered = api.post(
                prompts() + "/" + name + "/render",
                Http.json(Map.of(
                        "variables",
                        Map.of("bank", "Acme", "accounts", List.of("checking", "savings"), "question", "Fees?"))));
        // then
        assertThat(rendered.status()).as(rendered.toString()).isEqualTo(200);
        JsonNode messages = rendered.json().get("messages");
        assertThat(messages.get(0).get("content").asString()).isEqualTo("You help Acme customers.");
        assertThat(messages.get(1).get("content").asString()).isEqualTo("- checking\n- savings\nQuestion: Fees?");
        assertThat(rendered.json().get("version").asInt()).isEqualTo(1);
    }

    @Test
    void rendering_with_a_missing_variable_is_a_422_naming_it() {
        String name = createPrompt();
        createVersion(name, template("Hello {{name}} from {{city}}", "name", "city"));
        Response response = api.post(
                prompts() + "/" + name + "/render",
                Http.json(Map.of("version", 1, "variables", Map.of("name", "Ana"))));
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().get("detail").asString()).contains("missing variable 'city'");
    }

    @Test
    void rendering_an_unknown_label_is_a_404() {
        String name = createPrompt();
        createVersion(name, template("x"));
        Response response = api.post(prompts() + "/" + name + "/render", "{}");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("detail").asString()).contains("no label 'production'");
    }

    // --- helpers

    private static List<String> names(Response page) {
        List<String> names = new ArrayList<>();
        page.json().get("items").forEach(p -> names.add(p.get("name").asString()));
        return names;
    }

    private interface Indexed<T> {
        T call(int index) throws Exception;
    }

    private static <T> List<T> parallel(int n, Indexed<T> task) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit((Callable<T>) () -> task.call(index)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }
}
