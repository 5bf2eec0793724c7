package dev.promptforge.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.Http;
import dev.promptforge.server.support.Http.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Users, members and the key lifecycle (create, list, rotate, revoke) through HTTP. */
abstract class AccessApiTests extends ApiTestBase {

    private String project;

    @BeforeEach
    void project() {
        project = unique("access");
        assertThat(api.post("/api/v1/projects", Http.json(Map.of("name", project)))
                        .status())
                .isEqualTo(201);
    }

    @Test
    void a_key_is_shown_once_and_listed_by_prefix_with_its_last_use_never_its_secret() {
        // given
        String user = member("MEMBER");
        // when
        Response created = createKey(Map.of("name", "ci", "user", user, "scopes", List.of("read", "execute")));
        String key = created.json().get("key").asString();
        Response used = api.withKey(key).get("/api/v1/projects/" + project);
        Response list = api.get(keys());
        // then
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(key).startsWith("pf_").hasSize(35);
        assertThat(created.json().get("prefix").asString()).isEqualTo(key.substring(0, 10));
        assertThat(created.json().get("scopes").toString()).isEqualTo("[\"execute\",\"read\"]");
        assertThat(used.status()).isEqualTo(200);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(key).doesNotContain("hash");
        JsonNode listed = list.json().get(0);
        assertThat(listed.get("id").asString())
                .isEqualTo(created.json().get("id").asString());
        assertThat(listed.get("name").asString()).isEqualTo("ci");
        assertThat(listed.get("user").asString()).isEqualTo(user);
        assertThat(listed.get("prefix").asString()).isEqualTo(key.substring(0, 10));
        assertThat(listed.has("key")).isFalse();
        assertThat(listed.get("lastUsedAt").isNull()).isFalse();
        assertThat(listed.get("revokedAt").isNull()).isTrue();
    }

    @Test
    void rotation_creates_a_new_key_then_revokes_the_old_one_which_is_refused_at_once() {
        // given
        String user = member("VIEWER");
        JsonNode oldKey = createKey(Map.of("name", "app", "user", user, "scopes", List.of("read")))
                .json();
        String old = oldKey.get("key").asString();
        String oldId = oldKey.get("id").asString();
        assertThat(api.withKey(old).get("/api/v1/projects/" + project).status()).isEqualTo(200);
        // when
        String fresh = createKey(Map.of("name", "app-2", "user", user, "scopes", List.of("read")))
                .json()
                .get("key")
                .asString();
        Response revoke = api.delete(keys() + "/" + oldId);
        // then
        assertThat(revoke.status()).isEqualTo(204);
        Response refused = api.withKey(old).get("/api/v1/projects/" + project);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(api.withKey(fresh).get("/api/v1/projects/" + project).status())
                .isEqualTo(200);
        assertThat(api.delete(keys() + "/" + oldId).status())
                .as("revoking again")
                .isEqualTo(204);
        assertThat(api.delete(keys() + "/no-such-key").status()).isEqualTo(404);
    }

    @Test
    void a_key_with_an_expiry_shows_it_and_a_past_expiry_is_refused() {
        // when
        Response created = createKey(Map.of(
                "name", "temp", "user", "admin", "scopes", List.of("read"), "expiresAt", "2099-01-01T00:00:00Z"));
        Response past = api.post(
                keys(),
                Http.json(Map.of(
                        "name",
                        "old",
                        "user",
                        "admin",
                        "scopes",
                        List.of("read"),
                        "expiresAt",
                        "2001-01-01T00:00:00Z")));
        // then
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("expiresAt").asString()).isEqualTo("2099-01-01T00:00:00Z");
        assertThat(past.status()).isEqualTo(422);
        assertThat(past.json().get("detail").asString()).contains("expiresAt");
    }

    @Test
    void bad_input_is_answered_with_problem_details_never_500() {
        String user = member("MEMBER");
        List<Response> answers = new ArrayList<>();
        // when
        Response badScope = api.post(keys(), Http.json(Map.of("name", "x", "scopes", List.of("root"))));
        Response noScopes = api.post(keys(), Http.json(Map.of("name", "x", "scopes", List.of())));
        Response nullScope = api.post(keys(), "{\"name\": \"x\", \"scopes\": [null]}");
        Response noName = api.post(keys(), Http.json(Map.of("scopes", List.of("read"))));
        Response badExpiry =
                api.post(keys(), Http.json(Map.of("name", "x", "scopes", List.of("read"), "expiresAt", "soon")));
        Response stranger =
                api.post(keys(), Http.json(Map.of("name", "x", "user", "nobody-here", "scopes", List.of("read"))));
        Response malformed = api.post(keys(), "{\"name\": ");
        Response wrongType = api.post(keys(), "{\"name\": \"x\", \"scopes\": \"read\"}");
        Response badRole = api.put(members() + "/" + user, Http.json(Map.of("role", "KING")));
        Response unknownUser = api.put(members() + "/nobody-here", Http.json(Map.of("role", "VIEWER")));
        Response shortPassword =
                api.post("/api/v1/users", Http.json(Map.of("username", unique("u"), "password", "short")));
        Response badName =
                api.post("/api/v1/users", Http.json(Map.of("username", "Bad Name!", "password", "long-enough")));
        Response duplicate = api.post("/api/v1/users", Http.json(Map.of("username", user, "password", "long-enough")));
        answers.addAll(List.of(
                badScope,
                noScopes,
                nullScope,
                noName,
                badExpiry,
                stranger,
                malformed,
                wrongType,
                badRole,
                unknownUser,
                shortPassword,
                badName,
                duplicate));
        // then
        assertThat(List.of(badScope, noScopes, nullScope, noName, badExpiry, stranger, badRole, shortPassword, badName))
                .allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(422));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(unknownUser.status()).isEqualTo(404);
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(answers)
                .allSatisfy(r -> assertThat(r.header("Content-Type")).startsWith("application/problem+json"));
    }

    @Test
    void the_last_owner_stays_and_a_removed_member_loses_the_project_at_once() {
        // given
        String owner = member("OWNER");
        String viewer = member("VIEWER");
        String key = createKey(Map.of("name", "v", "user", viewer, "scopes", List.of("read")))
                .json()
                .get("key")
                .asString();
        assertThat(api.withKey(key).get("/api/v1/projects/" + project).status()).isEqualTo(200);
        // when
        Response demoteLastOwner = api.put(members() + "/" + owner, Http.json(Map.of("role", "ADMIN")));
        Response removeLastOwner = api.delete(members() + "/" + owner);
        Response removeViewer = api.delete(members() + "/" + viewer);
        // then
        assertThat(demoteLastOwner.status()).isEqualTo(409);
        assertThat(removeLastOwner.status()).isEqualTo(409);
        assertThat(removeViewer.status()).isEqualTo(204);
        assertThat(api.withKey(key).get("/api/v1/projects/" + project).status()).isEqualTo(404);
        JsonNode members = api.get(members()).json();
        assertThat(members.findValuesAsString("username")).containsExactly(owner);
    }

    @Test
    void a_project_key_sees_only_its_project_in_listings() {
        // given
        String user = member("VIEWER");
        String key = createKey(Map.of("name", "v", "user", user, "scopes", List.of("read")))
                .json()
                .get("key")
                .asString();
        // when
        Response projects = api.withKey(key).get("/api/v1/projects");
        Response records = api.withKey(key).get("/api/v1/records");
        Response audit = api.withKey(key).get("/api/v1/audit");
        // then
        assertThat(projects.json().get("items").findValuesAsString("name")).containsExactly(project);
        assertThat(records.status()).isEqualTo(200);
        assertThat(records.json().get("items")).isEmpty();
        assertThat(audit.status()).isEqualTo(403);
    }

    @Test
    void users_memberships_and_keys_are_audited() {
        // given
        String user = member("MEMBER");
        String id = createKey(Map.of("name", "k", "user", user, "scopes", List.of("read")))
                .json()
                .get("id")
                .asString();
        api.delete(keys() + "/" + id);
        // when
        JsonNode created =
                api.get("/api/v1/audit?action=user.create&target=user/" + user).json();
        JsonNode member = api.get("/api/v1/audit?target=project/" + project + "/member/" + user)
                .json();
        JsonNode key = api.get("/api/v1/audit?target=project/" + project + "/key/" + id)
                .json();
        // then
        assertThat(created.get("items")).hasSize(1);
        assertThat(member.get("items").findValuesAsString("action")).containsExactly("member.set");
        assertThat(key.get("items").findValuesAsString("action")).containsExactly("key.revoke", "key.create");
        assertThat(api.get("/api/v1/audit/verify").json().get("valid").asBoolean())
                .isTrue();
    }

    @Test
    void a_project_admin_reads_the_audit_entries_of_its_project_only() {
        // given
        String user = member("ADMIN");
        String key = createKey(Map.of("name", "a", "user", user, "scopes", List.of("admin")))
                .json()
                .get("key")
                .asString();
        String other = unique("other");
        assertThat(api.post("/api/v1/projects", Http.json(Map.of("name", other)))
                        .status())
                .isEqualTo(201);
        // when
        Response all = api.withKey(key).get("/api/v1/audit?limit=200");
        Response foreign = api.withKey(key).get("/api/v1/audit?target=project/" + other);
        Response users = api.withKey(key).get("/api/v1/audit?target=user/" + user);
        Response verify = api.withKey(key).get("/api/v1/audit/verify");
        // then
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().get("items").findValuesAsString("target"))
                .isNotEmpty()
                .allSatisfy(target -> assertThat(target).startsWith("project/" + project))
                .contains("project/" + project + "/member/" + user);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(users.status()).isEqualTo(403);
        assertThat(verify.status()).isEqualTo(403);
    }

    @Test
    void only_an_owner_deletes_a_project_and_everything_in_it_goes_with_it() {
        // given a key of each role, and an owner of another project
        Map<String, String> keys = new java.util.LinkedHashMap<>();
        for (String role : List.of("VIEWER", "MEMBER", "ADMIN", "OWNER")) {
            keys.put(
                    role,
                    createKey(Map.of("name", role, "user", member(role), "scopes", List.of("admin", "read")))
                            .json()
                            .get("key")
                            .asString());
        }
        String other = unique("other");
        assertThat(api.post("/api/v1/projects", Http.json(Map.of("name", other)))
                        .status())
                .isEqualTo(201);
        String foreignOwner = unique("user");
        api.post("/api/v1/users", Http.json(Map.of("username", foreignOwner, "password", "a-long-password")));
        api.put("/api/v1/projects/" + other + "/members/" + foreignOwner, Http.json(Map.of("role", "OWNER")));
        String foreign = api.post(
                        "/api/v1/projects/" + other + "/keys",
                        Http.json(Map.of("name", "f", "user", foreignOwner, "scopes", List.of("admin"))))
                .json()
                .get("key")
                .asString();
        String path = "/api/v1/projects/" + project;
        // when
        Map<String, Integer> refused = new java.util.LinkedHashMap<>();
        for (String role : List.of("VIEWER", "MEMBER", "ADMIN")) {
            refused.put(role, api.withKey(keys.get(role)).delete(path).status());
        }
        int byForeign = api.withKey(foreign).delete(path).status();
        int byNobody = api.withKey(null).delete(path).status();
        int byOwner = api.withKey(keys.get("OWNER")).delete(path).status();
        // then
        assertThat(refused).containsOnly(Map.entry("VIEWER", 403), Map.entry("MEMBER", 403), Map.entry("ADMIN", 403));
        assertThat(byForeign).isEqualTo(404);
        assertThat(byNobody).isEqualTo(401);
        assertThat(byOwner).isEqualTo(204);
        assertThat(api.get(path).status()).isEqualTo(404);
        assertThat(api.withKey(keys.get("OWNER")).get(path).status())
                .as("its keys went with it")
                .isEqualTo(401);
        assertThat(api.get("/api/v1/audit?action=project.delete&target=project/" + project)
                        .json()
                        .get("items"))
                .hasSize(1);
    }

    private String member(String role) {
        String name = unique("user");
        Response user = api.post("/api/v1/users", Http.json(Map.of("username", name, "password", "a-long-password")));
        assertThat(user.status()).as(user.toString()).isEqualTo(201);
        Response member = api.put(members() + "/" + name, Http.json(Map.of("role", role)));
        assertThat(member.status()).as(member.toString()).isEqualTo(201);
        return name;
    }

    private Response createKey(Map<String, Object> body) {
        Response response = api.post(keys(), Http.json(body));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response;
    }

    private String keys() {
        return "/api/v1/projects/" + project + "/keys";
    }

    private String members() {
        return "/api/v1/projects/" + project + "/members";
    }
}
