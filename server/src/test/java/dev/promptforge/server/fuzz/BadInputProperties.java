package dev.promptforge.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.PromptForgeApplication;
import dev.promptforge.server.support.ApiTestBase;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bad input to every route of the API (read from the server's own OpenAPI document): malformed
 * JSON, wrong top-level types, deep nesting, bodies over the size limit, invalid UTF-8; hostile path
 * segments (traversal, SQL, template syntax, NUL, huge); and well-formed bodies whose fields are
 * nulls, wrong types and injection strings. Each answer must be a 4xx problem+json (or, for a
 * well-formed body, anything but a 5xx), and a property whose answers were all refusals must leave
 * every table exactly as it was. Subclasses choose the database.
 */
abstract class BadInputProperties {

    private static final Map<Class<?>, Server> SERVERS = new ConcurrentHashMap<>();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");

    /** One running server for the subclass, its routes and its database. */
    record Server(ConfigurableApplicationContext context, String base, List<Route> routes, HttpClient client) {}

    /** A route of the OpenAPI document, with the fields of its JSON body (empty when it takes none). */
    record Route(String method, String path, boolean hasBody, List<String> fields) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    record Answer(int status, String contentType, String body) {}

    private Map<String, Long> countsBefore = Map.of();
    private boolean allRefused;

    /** The database of the server under test. */
    abstract ApplicationContextInitializer<ConfigurableApplicationContext> database();

    Server server() {
        return SERVERS.computeIfAbsent(getClass(), type -> start());
    }

    private Server start() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(PromptForgeApplication.class)
                .initializers(database())
                .run(
                        "--server.port=0",
                        "--promptforge.bootstrap.api-key=" + ApiTestBase.KEY,
                        "--promptforge.bootstrap.admin-password=" + ApiTestBase.ADMIN_PASSWORD,
                        "--promptforge.demo.enabled=false",
                        "--promptforge.ratelimit.enabled=false",
                        "--logging.structured.format.console=",
                        "--logging.level.root=warn",
                        "--logging.level.promptforge.security=error");
        String base = "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Server server = new Server(context, base, List.of(), client);
        Answer docs = send(server, "GET", "/v3/api-docs", null);
        assertThat(docs.status()).isEqualTo(200);
        List<Route> routes = routes(JSON.readTree(docs.body()));
        assertThat(routes).as("routes found in the OpenAPI document").hasSizeGreaterThan(20);
        // The key works and the project the bodies name exists, so refusals come from the input, not from them.
        assertThat(send(server, "POST", "/api/v1/projects", "{\"name\": \"fuzz\"}".getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(201);
        assertThat(send(server, "GET", "/api/v1/projects/fuzz", null).status()).isEqualTo(200);
        Runtime.getRuntime().addShutdownHook(new Thread(context::close));
        return new Server(context, base, routes, client);
    }

    private static List<Route> routes(JsonNode docs) {
        List<Route> routes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : docs.get("paths").properties()) {
            if (!path.getKey().startsWith("/api/") && !path.getKey().startsWith("/v1/")) {
                continue;
            }
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                String method = operation.getKey().toUpperCase(java.util.Locale.ROOT);
                JsonNode body = operation.getValue().path("requestBody");
                List<String> fields = new ArrayList<>();
                JsonNode schema = body.path("content").path("application/json").path("schema");
                String ref = schema.path("$ref").asString("");
                if (ref.startsWith("#/components/schemas/")) {
                    JsonNode properties = docs.path("components")
                            .path("schemas")
                            .path(ref.substring("#/components/schemas/".length()))
                            .path("properties");
                    properties.propertyNames().forEach(fields::add);
                }
                routes.add(new Route(method, path.getKey(), !body.isMissingNode(), fields));
            }
        }
        return routes;
    }

    // --- the properties

    @BeforeProperty
    void snapshot() {
        countsBefore = counts();
        allRefused = true;
    }

    @AfterProperty
    void nothingHalfWritten() {
        if (allRefused) {
            assertThat(counts())
                    .as("every answer was a refusal, so no table changed")
                    .isEqualTo(countsBefore);
        }
    }

    @Property(tries = 150)
    void malformed_bodies_are_refused_with_a_problem(
            @ForAll("bodyRoutes") Route route, @ForAll("malformedBodies") byte[] body) {
        Answer answer = send(server(), route.method(), concrete(route.path(), "fuzz"), body);
        assertProblem(route, answer);
    }

    @Property(tries = 150)
    void hostile_path_segments_are_refused_with_a_problem(
            @ForAll("routesWithVariables") Route route, @ForAll("hostileSegments") String segment) {
        String path = concrete(route.path(), segment);
        Answer answer =
                send(server(), route.method(), path, route.hasBody() ? "{}".getBytes(StandardCharsets.UTF_8) : null);
        assertProblem(route, answer);
    }

    @Property(tries = 200)
    void hostile_field_values_never_fail_the_server(
            @ForAll("routesWithFields") Route route, @ForAll("fieldValues") List<String> values) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < route.fields().size(); i++) {
            fields.put(route.fields().get(i), values.get(i % values.size()));
        }
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, value) -> json.append(json.length() > 1 ? "," : "")
                .append('"')
                .append(name)
                .append("\":")
                .append(value));
        json.append('}');
        Answer answer = send(
                server(),
                route.method(),
                concrete(route.path(), "fuzz"),
                json.toString().getBytes(StandardCharsets.UTF_8));
        allRefused = false;
        if (answer.status() < 400) {
            net.jqwik.api.statistics.Statistics.label("status").collect(answer.status());
        }
        assertThat(answer.status())
                .as(route + " " + abbreviate(json.toString()) + " → " + answer)
                .isLessThan(500);
        if (answer.status() >= 400) {
            assertProblem(route, answer);
        }
    }

    private void assertProblem(Route route, Answer answer) {
        net.jqwik.api.statistics.Statistics.label("status").collect(answer.status());
        String what = route + " → " + answer;
        assertThat(answer.status()).as(what).isBetween(400, 499);
        assertThat(answer.contentType()).as(what).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.path("status").asInt()).as(what).isEqualTo(answer.status());
        assertThat(problem.path("title").asString("")).as(what).isNotBlank();
    }

    // --- generators

    @Provide
    Arbitrary<Route> bodyRoutes() {
        return Arbitraries.of(server().routes().stream().filter(Route::hasBody).toList());
    }

    @Provide
    Arbitrary<Route> routesWithVariables() {
        return Arbitraries.of(
                server().routes().stream().filter(r -> r.path().contains("{")).toList());
    }

    @Provide
    Arbitrary<Route> routesWithFields() {
        return Arbitraries.of(
                server().routes().stream().filter(r -> !r.fields().isEmpty()).toList());
    }

    @Provide
    Arbitrary<byte[]> malformedBodies() {
        Arbitrary<String> broken = Arbitraries.of(
                "",
                "{",
                "}",
                "{\"name\":",
                "{\"name\": \"x\",}",
                "[1, 2",
                "nul",
                "{'name': 'single quotes'}",
                "{\"name\": \"x\"} trailing",
                "{\"a\": 1, \"a\": 2",
                "\u0000",
                "<xml/>",
                "name=x&project=y");
        Arbitrary<String> wrongTopLevel = Arbitraries.of("null", "42", "-1.5e308", "\"text\"", "[]", "[{}]", "true");
        Arbitrary<String> deep = Arbitraries.integers().between(1_500, 20_000).map(n -> "[".repeat(n) + "]".repeat(n));
        Arbitrary<String> deepObject =
                Arbitraries.integers().between(1_500, 5_000).map(n -> "{\"a\":".repeat(n) + "1" + "}".repeat(n));
        Arbitrary<String> huge = Arbitraries.just("{\"name\": \"" + "x".repeat(1_100_000) + "\"}");
        Arbitrary<String> garbage = Arbitraries.strings()
                .withCharRange('!', '~')
                .ofMinLength(1)
                .ofMaxLength(40)
                .filter(s -> !s.startsWith("{") || !s.endsWith("}"))
                .map(s -> "{" + s);
        Arbitrary<byte[]> text = Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(5, broken),
                        net.jqwik.api.Tuple.of(4, wrongTopLevel),
                        net.jqwik.api.Tuple.of(2, deep),
                        net.jqwik.api.Tuple.of(2, deepObject),
                        net.jqwik.api.Tuple.of(1, huge),
                        net.jqwik.api.Tuple.of(3, garbage))
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> invalidUtf8 = Arbitraries.of(
                        new byte[] {(byte) 0xC3, 0x28},
                        new byte[] {(byte) 0xFF, (byte) 0xFE},
                        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                        new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80})
                .map(bad -> {
                    byte[] head = "{\"name\": \"".getBytes(StandardCharsets.UTF_8);
                    byte[] tail = "\"}".getBytes(StandardCharsets.UTF_8);
                    byte[] body = new byte[head.length + bad.length + tail.length];
                    System.arraycopy(head, 0, body, 0, head.length);
                    System.arraycopy(bad, 0, body, head.length, bad.length);
                    System.arraycopy(tail, 0, body, head.length + bad.length, tail.length);
                    return body;
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, text), net.jqwik.api.Tuple.of(1, invalidUtf8));
    }

    @Provide
    Arbitrary<String> hostileSegments() {
        Arbitrary<String> known = Arbitraries.of(
                "../../../../etc/passwd",
                "..%2F..%2Fetc%2Fpasswd",
                "..\\..\\windows\\win.ini",
                "' OR '1'='1",
                "1; DROP TABLE records; --",
                "\" OR \"\"=\"",
                "{{7*7}}",
                "{{#each this}}{{/each}}",
                "${7*7}",
                "${jndi:ldap://example.invalid/a}",
                "<script>alert(1)</script>",
                "%00",
                "\u0000",
                "😀𝄞ü€",
                " ",
                "x".repeat(5_000),
                "NaN",
                "-1",
                "99999999999999999999");
        Arbitrary<String> random =
                Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(60);
        return Arbitraries.oneOf(known, random);
    }

    @Provide
    Arbitrary<List<String>> fieldValues() {
        Arbitrary<String> value = Arbitraries.of(
                "null",
                "123",
                "-1",
                "0",
                "1e308",
                "-9223372036854775809",
                "true",
                "[]",
                "{}",
                "[null]",
                "{\"x\": null}",
                quote("' OR 1=1 --"),
                quote("1; DROP TABLE projects; --"),
                quote("{{7*7}} {{> partial}} {{#each x}}"),
                quote("${jndi:ldap://example.invalid/a}"),
                quote("#{7*7} <%= 7*7 %>"),
                quote("../../../../etc/passwd"),
                quote("<script>alert(1)</script>"),
                quote("\u0000\u0001\u001f"),
                quote(""),
                quote("x".repeat(100_000)),
                "[" + "[".repeat(600) + "]".repeat(600) + "]");
        return Combinators.combine(value.list().ofMinSize(1).ofMaxSize(6), Arbitraries.just(0))
                .as((list, ignored) -> list);
    }

    // --- plumbing

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** The path with {project} as the given project (else the segment) and every other variable as the segment. */
    private static String concrete(String template, String segment) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(
                    out,
                    Matcher.quoteReplacement(
                            URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20")));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Answer send(Server server, String method, String path, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.base() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + ApiTestBase.KEY)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = server.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Long> counts() {
        JdbcClient jdbc = server().context().getBean(JdbcClient.class);
        List<String> tables = server().context()
                        .getEnvironment()
                        .getProperty("promptforge.db.url", "")
                        .isBlank()
                ? jdbc.sql("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                        .query(String.class)
                        .list()
                : jdbc.sql("SELECT table_name FROM information_schema.tables"
                                + " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
                        .query(String.class)
                        .list();
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (String table : tables) {
            counts.put(
                    table,
                    jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single());
        }
        return counts;
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…(" + text.length() + " chars)" : text;
    }
}
