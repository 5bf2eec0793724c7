package dev.promptforge.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.Http;
import dev.promptforge.server.support.Http.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Walks the permission matrix through HTTP: every route × every kind of caller (each role of the
 * project, the server admin, a key of another project, an owner's read-only key, no key, a
 * revoked key, an expired key), asserting the exact status. The expected least role of each route is
 * written here independently of {@link Permission}, as the README states it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AuthorizationMatrixTests extends ApiTestBase {

    /** Who may call a route: the least project role, or only a server admin. */
    enum Needs {
        VIEWER,
        MEMBER,
        ADMIN,
        OWNER,
        SERVER_ADMIN
    }

    enum Caller {
        SERVER_ADMIN,
        OWNER,
        ADMIN,
        MEMBER,
        VIEWER,
        OWNER_READ_ONLY_KEY,
        FOREIGN_OWNER,
        NO_KEY,
        REVOKED,
        EXPIRED
    }

    /** One route: how to call it (fresh fixtures per call where it changes state) and its success status. */
    record Route(String name, Needs needs, String scope, int success, Function<Http, Response> call) {}

    @Autowired
    JdbcClient jdbc;

    private Http admin;
    private String a;
    private String b;
    private String recordA;
    private String pipelineA;
    private String runA;
    private final Map<Caller, Http> callers = new LinkedHashMap<>();
    private final Map<Caller, String> scopes = new LinkedHashMap<>();

    @BeforeAll
    void fixtures() {
        admin = new Http(port, KEY);
        a = unique("matrix-a");
        b = unique("matrix-b");
        for (String project : List.of(a, b)) {
            ok(admin.post("/api/v1/projects", Http.json(Map.of("name", project))), 201);
            ok(admin.post(prompts(project), Http.json(Map.of("name", "greeting"))), 201);
            ok(admin.post(prompts(project) + "/greeting/versions", Http.json(template("Hello " + project))), 201);
            ok(admin.put(prompts(project) + "/greeting/labels/production", Http.json(Map.of("version", 1))), 200);
        }
        recordA = ok(
                        admin.post(
                                "/api/v1/prompt/execute",
                                Http.json(Map.of("project", a, "prompt", "greeting", "version", 1))),
                        200)
                .json()
                .get("recordId")
                .asString();
        ok(admin.post("/api/v1/projects/" + a + "/eval-runs", evalRun("matrix-run")), 201);
        ok(
                admin.post(
                        "/api/v1/projects/" + a + "/datasets",
                        Http.json(Map.of(
                                "name", "ds", "items", List.of(Map.of("name", "one", "vars", Map.of("x", "1")))))),
                201);
        pipelineA = ok(
                        admin.post(
                                "/api/v1/projects/" + a + "/pipelines",
                                Http.json(Map.of(
                                        "name",
                                        "gate",
                                        "config",
                                        Map.of("dataset", "ds"),
                                        "stages",
                                        List.of(Map.of("type", "quality"))))),
                        201)
                .json()
                .get("id")
                .asString();
        runA = ok(admin.post(execute(pipelineA), Http.json(Map.of("promptId", "greeting@1", "runAsync", false))), 200)
                .json()
                .get("id")
                .asString();
        for (Caller role : List.of(Caller.OWNER, Caller.ADMIN, Caller.MEMBER, Caller.VIEWER)) {
            String user = user();
            member(a, user, role.name());
            callers.put(role, new Http(port, key(a, user, List.of("read", "write", "execute", "admin"), null)));
        }
        String scoped = user();
        member(a, scoped, "OWNER");
        callers.put(Caller.OWNER_READ_ONLY_KEY, new Http(port, key(a, scoped, List.of("read"), null)));
        String foreign = user();
        member(b, foreign, "OWNER");
        callers.put(
                Caller.FOREIGN_OWNER,
                new Http(port, key(b, foreign, List.of("read", "write", "execute", "admin"), null)));
        callers.put(Caller.SERVER_ADMIN, admin);
        callers.put(Caller.NO_KEY, new Http(port, null));
        String revokedUser = user();
        member(a, revokedUser, "OWNER");
        Response revoked = ok(
                admin.post(keys(a), Http.json(Map.of("name", "revoked", "user", revokedUser, "scopes", all()))), 201);
        ok(admin.delete(keys(a) + "/" + revoked.json().get("id").asString()), 204);
        callers.put(Caller.REVOKED, new Http(port, revoked.json().get("key").asString()));
        String expiredUser = user();
        member(a, expiredUser, "OWNER");
        Response expiring = ok(
                admin.post(
                        keys(a),
                        Http.json(Map.of(
                                "name",
                                "expired",
                                "user",
                                expiredUser,
                                "scopes",
                                all(),
                                "expiresAt",
                                "2099-01-01T00:00:00Z"))),
                201);
        // The clock cannot be moved on a running server: age the key in the database instead.
        jdbc.sql("UPDATE api_keys SET expires_at = :past WHERE id = :id")
                .param("past", System.currentTimeMillis() - 60_000)
                .param("id", expiring.json().get("id").asString())
                .update();
        callers.put(Caller.EXPIRED, new Http(port, expiring.json().get("key").asString()));
    }

    private static String evalRun(String runId) {
        return Http.json(Map.of(
                "runId",
                runId,
                "suite",
                "suite.yaml",
                "startedAt",
                "2026-11-01T10:00:00Z",
                "finishedAt",
                "2026-11-01T10:01:00Z",
                "cells",
                List.of(Map.of("test", "t1", "prompt", "p", "provider", "local/echo", "status", "PASS", "score", 1))));
    }

    private List<Route> routes() {
        String project = "/api/v1/projects/" + a;
        String prompt = project + "/prompts/greeting";
        String chat =
                Http.json(Map.of("model", "local/echo", "messages", List.of(Map.of("role", "user", "content", "hi"))));
        List<Route> routes = new ArrayList<>();
        routes.add(new Route("GET project", Needs.VIEWER, "read", 200, h -> h.get(project)));
        routes.add(new Route("GET prompts", Needs.VIEWER, "read", 200, h -> h.get(project + "/prompts")));
        routes.add(new Route("GET prompt", Needs.VIEWER, "read", 200, h -> h.get(prompt)));
        routes.add(new Route("GET versions", Needs.VIEWER, "read", 200, h -> h.get(prompt + "/versions")));
        routes.add(new Route("GET version", Needs.VIEWER, "read", 200, h -> h.get(prompt + "/versions/1")));
        routes.add(new Route("GET diff", Needs.VIEWER, "read", 200, h -> h.get(prompt + "/diff?from=1&to=1")));
        routes.add(new Route("GET labels", Needs.VIEWER, "read", 200, h -> h.get(prompt + "/labels")));
        routes.add(new Route(
                "GET label history", Needs.VIEWER, "read", 200, h -> h.get(prompt + "/labels/production/history")));
        routes.add(new Route(
                "POST render",
                Needs.VIEWER,
                "read",
                200,
                h -> h.post(prompt + "/render", Http.json(Map.of("version", 1)))));
        routes.add(new Route(
                "POST prompt",
                Needs.MEMBER,
                "write",
                201,
                h -> h.post(project + "/prompts", Http.json(Map.of("name", unique("p"))))));
        routes.add(new Route(
                "POST version",
                Needs.MEMBER,
                "write",
                201,
                h -> h.post(prompt + "/versions", Http.json(template("Hi " + unique("v"))))));
        routes.add(
                new Route("POST archive", Needs.MEMBER, "write", 200, h -> h.post(freshPrompt() + "/archive", "{}")));
        routes.add(new Route(
                "PUT label staging",
                Needs.MEMBER,
                "write",
                200,
                h -> h.put(prompt + "/labels/staging", Http.json(Map.of("version", 1)))));
        routes.add(new Route(
                "PUT label production",
                Needs.ADMIN,
                "admin",
                200,
                h -> h.put(prompt + "/labels/production", Http.json(Map.of("version", 1)))));
        routes.add(new Route("GET records", Needs.VIEWER, "read", 200, h -> h.get("/api/v1/records?project=" + a)));
        routes.add(new Route("GET record", Needs.VIEWER, "read", 200, h -> h.get("/api/v1/records/" + recordA)));
        routes.add(new Route(
                "POST feedback",
                Needs.MEMBER,
                "write",
                201,
                h -> h.post(
                        "/api/v1/records/" + recordA + "/feedback", Http.json(Map.of("name", "helpful", "value", 1)))));
        routes.add(new Route(
                "POST execute",
                Needs.MEMBER,
                "execute",
                200,
                h -> h.post(
                        "/api/v1/prompt/execute",
                        Http.json(Map.of("project", a, "prompt", "greeting", "version", 1)))));
        routes.add(new Route(
                "POST chat completions",
                Needs.MEMBER,
                "execute",
                200,
                h -> h.post("/v1/chat/completions", chat, "X-PromptForge-Project", a)));
        routes.add(new Route("GET pii policy", Needs.VIEWER, "read", 200, h -> h.get(project + "/pii-policy")));
        routes.add(new Route(
                "POST eval run",
                Needs.MEMBER,
                "execute",
                201,
                h -> h.post(project + "/eval-runs", evalRun(unique("run")))));
        routes.add(new Route("GET eval runs", Needs.VIEWER, "read", 200, h -> h.get(project + "/eval-runs")));
        routes.add(new Route("GET eval run", Needs.VIEWER, "read", 200, h -> h.get(project + "/eval-runs/matrix-run")));
        routes.add(new Route(
                "PUT pii policy",
                Needs.ADMIN,
                "admin",
                200,
                h -> h.put(project + "/pii-policy", Http.json(Map.of("mode", "anonymize")))));
        routes.add(new Route(
                "POST pii analyze",
                Needs.VIEWER,
                "read",
                200,
                h -> h.post("/api/v1/pii/analyze", Http.json(Map.of("text", "mail a@b.co", "project", a)))));
        routes.add(new Route("GET budget", Needs.VIEWER, "read", 200, h -> h.get(project + "/budget")));
        routes.add(new Route(
                "PUT budget",
                Needs.ADMIN,
                "admin",
                200,
                h -> h.put(project + "/budget", Http.json(Map.of("tokensPerDay", 1_000_000)))));
        routes.add(new Route(
                "GET injection policy", Needs.VIEWER, "read", 200, h -> h.get(project + "/injection-policy")));
        routes.add(new Route(
                "PUT injection policy",
                Needs.ADMIN,
                "admin",
                200,
                h -> h.put(project + "/injection-policy", Http.json(Map.of("policy", "flag")))));
        routes.add(new Route("GET retention", Needs.VIEWER, "read", 200, h -> h.get(project + "/retention")));
        routes.add(new Route(
                "PUT retention",
                Needs.ADMIN,
                "admin",
                200,
                h -> h.put(project + "/retention", Http.json(Map.of("days", 3650)))));
        routes.add(
                new Route("DELETE subject", Needs.ADMIN, "admin", 200, h -> h.delete(project + "/subjects/nobody-42")));
        routes.add(new Route("GET evaluators", Needs.VIEWER, "read", 200, h -> h.get(project + "/evaluators")));
        routes.add(new Route(
                "PUT evaluators",
                Needs.ADMIN,
                "admin",
                200,
                h -> h.put(
                        project + "/evaluators", Http.json(Map.of("evaluators", List.of(Map.of("type", "is-json")))))));
        routes.add(new Route("GET prompt evaluators", Needs.VIEWER, "read", 200, h -> h.get(prompt + "/evaluators")));
        routes.add(new Route(
                "PUT prompt evaluators",
                Needs.ADMIN,
                "admin",
                200,
                h -> h.put(
                        prompt + "/evaluators", Http.json(Map.of("evaluators", List.of(Map.of("type", "is-json")))))));
        routes.add(new Route(
                "POST pii anonymize",
                Needs.VIEWER,
                "read",
                200,
                h -> h.post("/api/v1/pii/anonymize", Http.json(Map.of("text", "mail a@b.co", "project", a)))));
        routes.add(new Route("GET members", Needs.VIEWER, "read", 200, h -> h.get(project + "/members")));
        routes.add(new Route(
                "PUT member",
                Needs.OWNER,
                "admin",
                201,
                h -> h.put(project + "/members/" + user(), Http.json(Map.of("role", "VIEWER")))));
        routes.add(new Route("DELETE member", Needs.OWNER, "admin", 204, h -> {
            String user = user();
            member(a, user, "VIEWER");
            return h.delete(project + "/members/" + user);
        }));
        routes.add(new Route(
                "POST key",
                Needs.ADMIN,
                "admin",
                201,
                h -> h.post(keys(a), Http.json(Map.of("name", "k", "user", "admin", "scopes", List.of("read"))))));
        routes.add(new Route("GET keys", Needs.ADMIN, "admin", 200, h -> h.get(keys(a))));
        routes.add(new Route("DELETE key", Needs.ADMIN, "admin", 204, h -> {
            String id = ok(admin.post(keys(a), Http.json(Map.of("name", "k", "user", "admin", "scopes", all()))), 201)
                    .json()
                    .get("id")
                    .asString();
            return h.delete(keys(a) + "/" + id);
        }));
        routes.add(new Route(
                "POST user",
                Needs.SERVER_ADMIN,
                "admin",
                201,
                h -> h.post(
                        "/api/v1/users", Http.json(Map.of("username", unique("u"), "password", "a-long-password")))));
        routes.add(new Route(
                "POST project",
                Needs.SERVER_ADMIN,
                "admin",
                201,
                h -> h.post("/api/v1/projects", Http.json(Map.of("name", unique("np"))))));
        routes.add(new Route(
                "GET audit of the project",
                Needs.ADMIN,
                "admin",
                200,
                h -> h.get("/api/v1/audit?target=project/" + a)));
        routes.add(new Route(
                "GET audit export of the project",
                Needs.ADMIN,
                "admin",
                200,
                h -> h.get("/api/v1/audit/export?target=project/" + a)));
        String datasets = project + "/datasets";
        String pipelines = project + "/pipelines";
        String run = "/api/integration/testing/pipelines/" + pipelineA + "/runs/" + runA;
        Map<String, Object> pipelineBody =
                Map.of("name", "gate", "config", Map.of("dataset", "ds"), "stages", List.of(Map.of("type", "quality")));
        routes.add(new Route("GET datasets", Needs.VIEWER, "read", 200, h -> h.get(datasets)));
        routes.add(new Route(
                "POST dataset",
                Needs.MEMBER,
                "write",
                201,
                h -> h.post(datasets, Http.json(Map.of("name", unique("ds"))))));
        routes.add(new Route("GET dataset", Needs.VIEWER, "read", 200, h -> h.get(datasets + "/ds")));
        routes.add(new Route(
                "POST dataset items",
                Needs.MEMBER,
                "write",
                201,
                h -> h.post(datasets + "/ds/items", Http.json(Map.of("items", List.of(Map.of("vars", Map.of())))))));
        routes.add(new Route("DELETE dataset item", Needs.MEMBER, "write", 200, h -> {
            String item = unique("item");
            ok(
                    admin.post(
                            datasets + "/ds/items",
                            Http.json(Map.of("items", List.of(Map.of("name", item, "vars", Map.of("x", "2")))))),
                    201);
            return h.delete(datasets + "/ds/items/" + item);
        }));
        routes.add(new Route(
                "POST dataset import",
                Needs.MEMBER,
                "write",
                201,
                h -> h.send("POST", datasets + "/ds/import", "x\n3\n", "Content-Type", "text/csv")));
        routes.add(new Route(
                "GET dataset export", Needs.VIEWER, "read", 200, h -> h.get(datasets + "/ds/export?format=csv")));
        routes.add(new Route(
                "POST dataset from records",
                Needs.MEMBER,
                "write",
                201,
                h -> h.post(datasets + "/ds/from-records", Http.json(Map.of("limit", 1)))));
        routes.add(new Route(
                "POST pipeline",
                Needs.MEMBER,
                "write",
                201,
                h -> h.post(
                        pipelines,
                        Http.json(Map.of("name", unique("pl"), "stages", List.of(Map.of("type", "validation")))))));
        routes.add(new Route("GET pipelines", Needs.VIEWER, "read", 200, h -> h.get(pipelines)));
        routes.add(new Route("GET pipeline", Needs.VIEWER, "read", 200, h -> h.get(pipelines + "/" + pipelineA)));
        routes.add(new Route(
                "PUT pipeline",
                Needs.MEMBER,
                "write",
                200,
                h -> h.put(pipelines + "/" + pipelineA, Http.json(pipelineBody))));
        routes.add(new Route(
                "GET pipeline runs", Needs.VIEWER, "read", 200, h -> h.get(pipelines + "/" + pipelineA + "/runs")));
        routes.add(new Route(
                "POST pipeline execute",
                Needs.MEMBER,
                "execute",
                200,
                h -> h.post(execute(pipelineA), Http.json(Map.of("promptId", "greeting@1", "runAsync", false)))));
        routes.add(new Route("GET pipeline run", Needs.VIEWER, "read", 200, h -> h.get(run)));
        routes.add(new Route("GET pipeline run items", Needs.VIEWER, "read", 200, h -> h.get(run + "/items")));
        routes.add(new Route("GET pipeline run events", Needs.VIEWER, "read", 200, h -> h.get(run + "/events")));
        // The run has finished: whoever may cancel it hears so (409), the others are refused first.
        routes.add(new Route(
                "POST pipeline run cancel", Needs.MEMBER, "execute", 409, h -> h.post(run + "/cancel", "{}")));
        routes.add(new Route("GET audit verify", Needs.SERVER_ADMIN, "admin", 200, h -> h.get("/api/v1/audit/verify")));
        routes.add(new Route("GET providers", Needs.SERVER_ADMIN, "admin", 200, h -> h.get("/api/v1/providers")));
        routes.add(new Route(
                "GET prometheus metrics", Needs.SERVER_ADMIN, "admin", 200, h -> h.get("/actuator/prometheus")));
        return routes;
    }

    @TestFactory
    Stream<DynamicTest> every_route_answers_every_caller_with_the_exact_status() {
        return routes().stream()
                .flatMap(route -> callers.keySet().stream()
                        .map(caller -> DynamicTest.dynamicTest(route.name() + " as " + caller, () -> {
                            // when
                            Response response = route.call().apply(callers.get(caller));
                            // then
                            int expected = expected(route, caller);
                            assertThat(response.status())
                                    .as(response.toString())
                                    .isEqualTo(expected);
                            if (expected >= 400) {
                                assertThat(response.header("Content-Type")).startsWith("application/problem+json");
                            }
                            if (expected == 404) {
                                // Nothing of project A leaks: the answer is the one for a project that does not exist.
                                // (the requested id is echoed in the problem's instance and detail only; /v1 adds
                                // OpenAI's error).
                                assertThat(response.body()).doesNotContain("Hello " + a);
                                assertThat(response.json().propertyNames())
                                        .isSubsetOf(
                                                "type", "title", "status", "detail", "instance", "requestId", "error");
                                assertThat(response.json().get("detail").asString())
                                        .isIn(
                                                "Project '" + a + "' does not exist.",
                                                "Pipeline '" + pipelineA + "' does not exist.",
                                                "Record '" + recordA + "' does not exist.");
                            }
                        })));
    }

    private int expected(Route route, Caller caller) {
        return switch (caller) {
            case NO_KEY, REVOKED, EXPIRED -> 401;
            case SERVER_ADMIN -> route.success();
            case FOREIGN_OWNER -> route.needs() == Needs.SERVER_ADMIN ? 403 : 404;
            case OWNER_READ_ONLY_KEY ->
                route.needs() != Needs.SERVER_ADMIN && route.scope().equals("read") ? route.success() : 403;
            case OWNER, ADMIN, MEMBER, VIEWER -> allows(caller, route.needs()) ? route.success() : 403;
        };
    }

    private static boolean allows(Caller role, Needs needs) {
        List<Caller> order = List.of(Caller.OWNER, Caller.ADMIN, Caller.MEMBER, Caller.VIEWER);
        return switch (needs) {
            case SERVER_ADMIN -> false;
            case VIEWER, MEMBER, ADMIN, OWNER -> order.indexOf(role) <= order.indexOf(Caller.valueOf(needs.name()));
        };
    }

    private String freshPrompt() {
        String name = unique("arch");
        ok(admin.post(prompts(a), Http.json(Map.of("name", name))), 201);
        return prompts(a) + "/" + name;
    }

    private String user() {
        String name = unique("user");
        ok(admin.post("/api/v1/users", Http.json(Map.of("username", name, "password", "a-long-password"))), 201);
        return name;
    }

    private void member(String project, String user, String role) {
        ok(admin.put("/api/v1/projects/" + project + "/members/" + user, Http.json(Map.of("role", role))), 201);
    }

    private String key(String project, String user, List<String> scopes, String expiresAt) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("name", "matrix", "user", user, "scopes", scopes));
        if (expiresAt != null) {
            body.put("expiresAt", expiresAt);
        }
        return ok(admin.post(keys(project), Http.json(body)), 201)
                .json()
                .get("key")
                .asString();
    }

    private static List<String> all() {
        return List.of("read", "write", "execute", "admin");
    }

    private static String prompts(String project) {
        return "/api/v1/projects/" + project + "/prompts";
    }

    private static String execute(String pipeline) {
        return "/api/integration/testing/pipelines/" + pipeline + "/execute";
    }

    private static String keys(String project) {
        return "/api/v1/projects/" + project + "/keys";
    }

    private static Map<String, Object> template(String text) {
        return Map.of("template", text, "model", "local/echo", "variables", List.of());
    }

    private static Response ok(Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        return response;
    }
}
