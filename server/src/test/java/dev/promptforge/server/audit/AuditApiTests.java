package dev.promptforge.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.Http;
import dev.promptforge.server.support.Http.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit log through HTTP and through direct changes to its table, on both databases: every
 * state change appends a chained entry in its own transaction, and editing, deleting, inserting or
 * reordering a row is reported at the first broken entry.
 */
abstract class AuditApiTests extends ApiTestBase {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    JdbcClient jdbc;

    private String project;

    @BeforeEach
    void changeSomething() {
        project = unique("audit");
        assertThat(api.post("/api/v1/projects", Http.json(Map.of("name", project)))
                        .status())
                .isEqualTo(201);
        assertThat(api.post(prompts(), Http.json(Map.of("name", "greeting"))).status())
                .isEqualTo(201);
        for (int i = 1; i <= 3; i++) {
            Response version = api.post(
                    prompts() + "/greeting/versions",
                    Http.json(Map.of("template", "Hello " + i, "model", "local/echo")));
            assertThat(version.status()).as(version.toString()).isEqualTo(201);
        }
        assertThat(verification().get("valid").asBoolean()).isTrue();
    }

    private String prompts() {
        return "/api/v1/projects/" + project + "/prompts";
    }

    private JsonNode verification() {
        Response response = api.get("/api/v1/audit/verify");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private List<JsonNode> entries(String query) {
        Response response = api.get("/api/v1/audit?limit=200&" + query);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        response.json().get("items").forEach(items::add);
        return items;
    }

    private long last() {
        return jdbc.sql("SELECT MAX(seq) FROM audit_log").query(Long.class).single();
    }

    private Map<String, Object> row(long seq) {
        return jdbc.sql("SELECT * FROM audit_log WHERE seq = :seq")
                .param("seq", seq)
                .query()
                .singleRow();
    }

    private void insert(Map<String, Object> row) {
        jdbc.sql("""
                        INSERT INTO audit_log (seq, id, occurred_at, actor, action, target, source_ip, correlation_id,
                                               before_hash, after_hash, prev_hash, entry_hash)
                        VALUES (:seq, :id, :occurred_at, :actor, :action, :target, :source_ip, :correlation_id,
                                :before_hash, :after_hash, :prev_hash, :entry_hash)
                        """).params(lowerCaseKeys(row)).update();
    }

    private static Map<String, Object> lowerCaseKeys(Map<String, Object> row) {
        Map<String, Object> result = new java.util.HashMap<>();
        row.forEach((k, v) -> result.put(k.toLowerCase(java.util.Locale.ROOT), v));
        return result;
    }

    private void assertBrokenAt(long seq, String reason) {
        JsonNode verification = verification();
        assertThat(verification.get("valid").asBoolean())
                .as(verification.toString())
                .isFalse();
        assertThat(verification.get("firstBroken").get("seq").asLong())
                .as(verification.toString())
                .isEqualTo(seq);
        assertThat(verification.get("firstBroken").get("reason").asString()).contains(reason);
    }

    private void assertIntact() {
        JsonNode verification = verification();
        assertThat(verification.get("valid").asBoolean())
                .as(verification.toString())
                .isTrue();
        assertThat(verification.get("entries").asLong()).isEqualTo(last());
        assertThat(verification.get("firstBroken").isNull()).isTrue();
    }

    // --- what is recorded

    @Test
    void records_every_state_change_with_actor_source_address_and_correlation_id() {
        // when
        String base = prompts() + "/greeting";
        api.put(base + "/labels/production", "{\"version\": 1}", "X-Request-Id", "audit-move-1");
        api.put(base + "/labels/production", "{\"version\": 2}", "X-Request-Id", "audit-move-2");
        api.post(base + "/archive", null, "X-Request-Id", "audit-archive");
        api.put(
                "/api/v1/projects/" + project + "/pii-policy",
                "{\"mode\": \"anonymize\"}",
                "X-Request-Id",
                "audit-policy");
        // then
        List<JsonNode> entries = entries("target=project/" + project);
        assertThat(entries.stream().map(e -> e.get("action").asString()))
                .containsExactly(
                        "pii-policy.set",
                        "prompt.archive",
                        "label.move",
                        "label.move",
                        "version.create",
                        "version.create",
                        "version.create",
                        "prompt.create",
                        "project.create");
        assertThat(entries.stream().map(e -> e.get("target").asString()))
                .startsWith(
                        "project/" + project + "/pii-policy",
                        "project/" + project + "/prompt/greeting",
                        "project/" + project + "/prompt/greeting/label/production")
                .contains("project/" + project + "/prompt/greeting/version/3")
                .endsWith("project/" + project);
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.get("actor").asString()).isEqualTo("admin");
            assertThat(e.get("sourceIp").asString()).isEqualTo("127.0.0.1");
            assertThat(e.get("hash").asString()).matches("[0-9a-f]{64}");
        });
        assertThat(entries.get(0).get("correlationId").asString()).isEqualTo("audit-policy");
        assertThat(entries.get(1).get("correlationId").asString()).isEqualTo("audit-archive");
        assertThat(entries.get(2).get("correlationId").asString()).isEqualTo("audit-move-2");
        // a move has the label before and after; a creation has no before state
        assertThat(entries.get(2).get("beforeHash").asString()).matches("[0-9a-f]{64}");
        assertThat(entries.get(3).get("beforeHash").isNull()).isTrue();
        assertThat(entries.get(2).get("afterHash").asString())
                .isNotEqualTo(entries.get(3).get("afterHash").asString());
        // each entry links to the one before it
        JsonNode newest = entries.get(0);
        Map<String, Object> before = row(newest.get("seq").asLong() - 1);
        assertThat(newest.get("prevHash").asString())
                .isEqualTo(lowerCaseKeys(before).get("entry_hash"));
        assertIntact();
    }

    @Test
    void a_refused_or_empty_change_appends_nothing() {
        // given
        long before = last();
        // when: a duplicate project, an identical version, a label already there, an invalid policy
        assertThat(api.post("/api/v1/projects", Http.json(Map.of("name", project)))
                        .status())
                .isEqualTo(409);
        assertThat(api.post(
                                prompts() + "/greeting/versions",
                                Http.json(Map.of("template", "Hello 3", "model", "local/echo")))
                        .status())
                .isEqualTo(200);
        assertThat(api.put("/api/v1/projects/" + project + "/pii-policy", "{\"mode\": \"sometimes\"}")
                        .status())
                .isEqualTo(422);
        // then
        assertThat(last()).isEqualTo(before);
    }

    @Test
    void a_change_whose_entry_cannot_be_appended_is_rolled_back() {
        // given the chain's head row is gone, so no entry can be appended
        Map<String, Object> head =
                jdbc.sql("SELECT * FROM audit_head WHERE id = 1").query().singleRow();
        jdbc.sql("DELETE FROM audit_head").update();
        String name = unique("unaudited");
        try {
            // when
            Response created = api.post("/api/v1/projects", Http.json(Map.of("name", name)));
            // then the change did not happen either
            assertThat(created.status()).isEqualTo(500);
            assertThat(api.get("/api/v1/projects/" + name).status()).isEqualTo(404);
            assertThat(verification().get("firstBroken").get("reason").asString())
                    .contains("head row is missing");
        } finally {
            jdbc.sql("INSERT INTO audit_head (id, seq, entry_hash) VALUES (1, :seq, :hash)")
                    .params(Map.of(
                            "seq",
                            lowerCaseKeys(head).get("seq"),
                            "hash",
                            lowerCaseKeys(head).get("entry_hash")))
                    .update();
        }
        assertIntact();
    }

    @Test
    void concurrent_changes_form_one_unbroken_chain() throws Exception {
        // given
        long before = last();
        int threads = 8;
        int perThread = 4;
        List<Callable<Integer>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            work.add(() -> {
                int created = 0;
                for (int i = 0; i < perThread; i++) {
                    String name = "p-" + thread + "-" + i;
                    if (api.post(prompts(), Http.json(Map.of("name", name))).status() == 201) {
                        created++;
                    }
                    if (api.post(
                                            prompts() + "/greeting/versions",
                                            Http.json(Map.of(
                                                    "template",
                                                    "v " + thread + " " + i + " " + UUID.randomUUID(),
                                                    "model",
                                                    "local/echo")))
                                    .status()
                            == 201) {
                        created++;
                    }
                }
                return created;
            });
        }
        // when
        int created = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (Future<Integer> result : pool.invokeAll(work)) {
                created += result.get();
            }
        }
        // then every change has exactly one entry, at consecutive positions, and the chain holds
        assertThat(created).isEqualTo(threads * perThread * 2);
        assertThat(last()).isEqualTo(before + created);
        long rows = jdbc.sql("SELECT COUNT(*) FROM audit_log").query(Long.class).single();
        assertThat(rows).isEqualTo(last());
        assertIntact();
    }

    // --- tampering directly in the database

    @Test
    void detects_an_edited_entry() {
        // given
        long seq = last() - 2;
        Map<String, Object> original = lowerCaseKeys(row(seq));
        // when
        jdbc.sql("UPDATE audit_log SET actor = 'mallory' WHERE seq = :seq")
                .param("seq", seq)
                .update();
        // then
        assertBrokenAt(seq, "was edited");
        jdbc.sql("UPDATE audit_log SET actor = :actor WHERE seq = :seq")
                .param("actor", original.get("actor"))
                .param("seq", seq)
                .update();
        assertIntact();
    }

    @Test
    void detects_an_edited_entry_whose_hash_was_recomputed() {
        // given
        long seq = last() - 2;
        AuditEntry original = entry(seq);
        String forged = AuditChain.entryHash(
                seq,
                original.id(),
                original.time().toEpochMilli(),
                "mallory",
                original.action(),
                original.target(),
                original.sourceIp(),
                original.correlationId(),
                original.beforeHash(),
                original.afterHash(),
                original.prevHash());
        // when
        jdbc.sql("UPDATE audit_log SET actor = 'mallory', entry_hash = :hash WHERE seq = :seq")
                .param("hash", forged)
                .param("seq", seq)
                .update();
        // then the next entry no longer links to it
        assertBrokenAt(seq + 1, "does not link to entry " + seq);
        jdbc.sql("UPDATE audit_log SET actor = :actor, entry_hash = :hash WHERE seq = :seq")
                .param("actor", original.actor())
                .param("hash", original.hash())
                .param("seq", seq)
                .update();
        assertIntact();
    }

    @Test
    void detects_a_deleted_entry() {
        // given
        long seq = last() - 2;
        Map<String, Object> original = row(seq);
        // when
        jdbc.sql("DELETE FROM audit_log WHERE seq = :seq").param("seq", seq).update();
        // then
        assertBrokenAt(seq, "entry " + seq + " is missing");
        insert(original);
        assertIntact();
    }

    @Test
    void detects_a_deleted_last_entry() {
        // given
        long seq = last();
        Map<String, Object> original = row(seq);
        // when
        jdbc.sql("DELETE FROM audit_log WHERE seq = :seq").param("seq", seq).update();
        // then
        assertBrokenAt(seq, "entries at the end were deleted");
        insert(original);
        assertIntact();
    }

    @Test
    void detects_an_inserted_entry() {
        // given an entry slipped in before entry k, the later ones moved up by one
        long k = last() - 1;
        long end = last();
        AuditEntry at = entry(k);
        jdbc.sql("UPDATE audit_log SET seq = seq + 1000000 WHERE seq >= :k")
                .param("k", k)
                .update();
        jdbc.sql("UPDATE audit_log SET seq = seq - 999999 WHERE seq >= 1000000").update();
        Map<String, Object> forged = new java.util.HashMap<>(lowerCaseKeys(row(k + 1)));
        forged.put("seq", k);
        forged.put("id", UUID.randomUUID().toString());
        forged.put("action", "prompt.delete");
        insert(forged);
        // then
        assertBrokenAt(k, "was edited");
        // undo
        jdbc.sql("DELETE FROM audit_log WHERE seq = :k").param("k", k).update();
        jdbc.sql("UPDATE audit_log SET seq = seq + 1000000 WHERE seq > :k")
                .param("k", k)
                .update();
        jdbc.sql("UPDATE audit_log SET seq = seq - 1000001 WHERE seq >= 1000000")
                .update();
        assertThat(entry(k)).isEqualTo(at);
        assertThat(last()).isEqualTo(end);
        assertIntact();
    }

    @Test
    void detects_an_entry_forged_after_the_last_one_even_with_correct_hashes() {
        // given someone who knows the algorithm appends an entry without going through PromptForge
        AuditEntry tail = entry(last());
        long seq = tail.seq() + 1;
        String id = UUID.randomUUID().toString();
        long time = Instant.now().toEpochMilli();
        String hash = AuditChain.entryHash(
                seq, id, time, "admin", "project.create", "project/forged", null, null, null, null, tail.hash());
        jdbc.sql("""
                        INSERT INTO audit_log (seq, id, occurred_at, actor, action, target, prev_hash, entry_hash)
                        VALUES (:seq, :id, :time, 'admin', 'project.create', 'project/forged', :prev, :hash)
                        """)
                .param("seq", seq)
                .param("id", id)
                .param("time", time)
                .param("prev", tail.hash())
                .param("hash", hash)
                .update();
        // then
        assertBrokenAt(seq, "was added after the last entry PromptForge wrote");
        jdbc.sql("DELETE FROM audit_log WHERE seq = :seq").param("seq", seq).update();
        assertIntact();
    }

    @Test
    void detects_reordered_entries() {
        // given
        long k = last() - 2;
        // when entries k and k+1 swap places
        jdbc.sql("UPDATE audit_log SET seq = -1 WHERE seq = :k").param("k", k).update();
        jdbc.sql("UPDATE audit_log SET seq = :k WHERE seq = :next")
                .param("k", k)
                .param("next", k + 1)
                .update();
        jdbc.sql("UPDATE audit_log SET seq = :next WHERE seq = -1")
                .param("next", k + 1)
                .update();
        // then
        assertBrokenAt(k, "was edited");
        jdbc.sql("UPDATE audit_log SET seq = -1 WHERE seq = :k").param("k", k).update();
        jdbc.sql("UPDATE audit_log SET seq = :k WHERE seq = :next")
                .param("k", k)
                .param("next", k + 1)
                .update();
        jdbc.sql("UPDATE audit_log SET seq = :next WHERE seq = -1")
                .param("next", k + 1)
                .update();
        assertIntact();
    }

    private AuditEntry entry(long seq) {
        return jdbc.sql("SELECT * FROM audit_log WHERE seq = :seq")
                .param("seq", seq)
                .query((rs, i) -> AuditEntry.from(rs))
                .single();
    }

    // --- listing, export, access

    @Test
    void lists_with_filters_and_pages_through_every_entry_once() {
        // given
        String target = "project/" + project;
        int total = entries("target=" + target).size();
        // when paging two at a time
        Set<Long> seen = new HashSet<>();
        List<Long> order = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        do {
            Response page = api.get("/api/v1/audit?limit=2&target=" + target + "&cursor=" + cursor);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().get("items").forEach(item -> {
                assertThat(seen.add(item.get("seq").asLong())).isTrue();
                order.add(item.get("seq").asLong());
            });
            JsonNode next = page.json().get("nextCursor");
            cursor = next.isNull() ? null : next.asString();
            pages++;
        } while (cursor != null);
        // then
        assertThat(seen).hasSize(total);
        assertThat(pages).isEqualTo((total + 1) / 2);
        assertThat(order).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(entries("action=version.create&target=" + target)).hasSize(3);
        assertThat(entries("actor=nobody-" + project)).isEmpty();
        assertThat(entries("target=" + target + "/prompt/greeting/version/2")).hasSize(1);
        assertThat(entries("target=" + target + "/prompt/greet")).isEmpty();
        Instant created = Instant.parse(entries("action=project.create&target=" + target)
                .getFirst()
                .get("time")
                .asString());
        assertThat(entries("target=" + target + "&to=" + created)).isEmpty();
        assertThat(entries("target=" + target + "&from=" + created + "&to=" + created.plusSeconds(3600)))
                .hasSize(total);
    }

    @Test
    void exports_json_lines_oldest_first() {
        // when
        Response export = api.get("/api/v1/audit/export?target=project/" + project);
        // then
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.header("Content-Type")).startsWith("application/x-ndjson");
        List<JsonNode> lines =
                export.body().lines().map(line -> JSON.readTree(line)).toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.getFirst().get("action").asString()).isEqualTo("project.create");
        assertThat(lines.stream().map(l -> l.get("seq").asLong()).toList()).isSorted();
        assertThat(lines.getLast().get("target").asString())
                .isEqualTo("project/" + project + "/prompt/greeting/version/3");
    }

    @Test
    void rejects_bad_parameters_with_problem_details() {
        for (String query : List.of(
                "limit=0",
                "limit=201",
                "cursor=%25%25",
                "cursor=bm90LWEtbnVtYmVy",
                "from=yesterday",
                "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
                "actor=")) {
            Response response = api.get("/api/v1/audit?" + query);
            assertThat(response.status()).as(query + " → " + response).isEqualTo(400);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        }
        assertThat(api.get("/api/v1/audit/export?from=nope").status()).isEqualTo(400);
    }

    @Test
    void is_for_admin_keys_only() {
        // given a key without the admin scope
        String key = "pf_reader-" + UUID.randomUUID();
        String userId = UUID.randomUUID().toString();
        jdbc.sql("INSERT INTO users (id, username, password_hash, server_admin, created_at)"
                        + " VALUES (:id, :name, 'x', FALSE, 0)")
                .param("id", userId)
                .param("name", unique("reader"))
                .update();
        jdbc.sql("INSERT INTO api_keys (id, name, prefix, key_hash, user_id, scopes, created_at)"
                        + " VALUES (:id, 'reader', :prefix, :hash, :user, 'read,write', 0)")
                .param("id", UUID.randomUUID().toString())
                .param("prefix", key.substring(0, 10))
                .param("hash", sha256(key))
                .param("user", userId)
                .update();
        Http reader = api.withKey(key);
        // then
        assertThat(reader.get("/api/v1/projects").status()).isEqualTo(200);
        for (String route : List.of("/api/v1/audit", "/api/v1/audit/verify", "/api/v1/audit/export")) {
            Response response = reader.get(route);
            assertThat(response.status()).as(route).isEqualTo(403);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.json().get("detail").asString()).contains("admin");
            assertThat(api.withKey(null).get(route).status()).as(route).isEqualTo(401);
        }
    }

    private static String sha256(String text) throws IllegalStateException {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
