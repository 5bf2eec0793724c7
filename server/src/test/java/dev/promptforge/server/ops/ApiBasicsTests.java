package dev.promptforge.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.Http;
import dev.promptforge.server.support.Http.Response;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** Authentication, health, error rendering and request correlation; run on both databases. */
abstract class ApiBasicsTests extends ApiTestBase {

    @Test
    void refuses_api_routes_without_a_key_with_a_problem() {
        // when
        Response response = api.withKey(null).get("/api/v1/projects");
        // then
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(response.json().get("detail").asString()).contains("Authorization: Bearer");
    }

    @Test
    void refuses_a_wrong_key_and_a_malformed_header() {
        Response wrong = api.withKey("pf_not-a-real-key-000000000000").get("/api/v1/projects");
        Response basic = api.withKey(null).get("/api/v1/projects", "Authorization", "Basic YWRtaW46YWRtaW4=");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("detail").asString()).contains("not valid");
        assertThat(basic.status()).isEqualTo(401);
        assertThat(basic.json().get("detail").asString()).contains("must be 'Bearer <api key>'");
    }

    @Test
    void refuses_the_openai_compatible_routes_without_a_key() {
        assertThat(api.withKey(null).post("/v1/chat/completions", "{}").status())
                .isEqualTo(401);
    }

    @Test
    void health_shows_status_to_anyone_and_details_with_a_key() {
        // when
        Response anonymous = api.withKey(null).get("/api/v1/health");
        Response detailed = api.get("/api/v1/health");
        // then
        assertThat(anonymous.status()).isEqualTo(200);
        assertThat(anonymous.json().get("status").asString()).isEqualTo("UP");
        assertThat(anonymous.json().has("database")).isFalse();
        assertThat(detailed.json().get("database").get("status").asString()).isEqualTo("UP");
        assertThat(detailed.json().get("database").get("vendor").asString()).isNotBlank();
        assertThat(detailed.json().get("disk").get("freeBytes").asLong()).isPositive();
    }

    @Test
    void explains_malformed_json_with_its_place() {
        Response response = api.post("/api/v1/projects", "{\"name\": \"x\",,}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString())
                .startsWith("The request body is not valid JSON at line 1, column");
    }

    @Test
    void names_the_field_with_a_wrong_type() {
        Response response = api.post("/api/v1/projects", "{\"name\": [\"x\"]}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).isEqualTo("Field 'name' must be a string.");
        Response version = api.put("/api/v1/projects/p/prompts/q/labels/production", "{\"version\": \"two\"}");
        assertThat(version.status()).isEqualTo(400);
        assertThat(version.json().get("detail").asString()).contains("'version' must be an integer");
    }

    @Test
    void names_an_unknown_field() {
        Response response = api.post("/api/v1/projects", "{\"name\": \"x\", \"descriptoin\": \"typo\"}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString())
                .startsWith("Unknown field 'descriptoin'.")
                .contains("description");
    }

    @Test
    void refuses_a_body_over_the_limit_by_declared_length() {
        String big = "{\"name\": \"x\", \"description\": \"" + "a".repeat(1_100_000) + "\"}";
        Response response = api.post("/api/v1/projects", big);
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().get("detail").asString()).contains("promptforge.http.max-body-size");
    }

    @Test
    void refuses_a_chunked_body_that_grows_over_the_limit() {
        // given a body without Content-Length
        byte[] chunk = "a".repeat(64 * 1024).getBytes();
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/projects"))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .POST(new ChunkedBody("{\"name\": \"x\", \"description\": \"".getBytes(), chunk, 20))
                .build();
        // when
        Response response = api.send(request);
        // then
        assertThat(response.status()).as(response.toString()).isEqualTo(413);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void echoes_a_callers_request_id_and_makes_one_otherwise() {
        Response given = api.get("/api/v1/projects/nope-nope", "X-Request-Id", "trace-abc-123");
        Response made = api.get("/api/v1/projects/nope-nope");
        assertThat(given.header("X-Request-Id")).isEqualTo("trace-abc-123");
        assertThat(given.json().get("requestId").asString()).isEqualTo("trace-abc-123");
        assertThat(made.header("X-Request-Id")).matches("[0-9a-f-]{36}");
        assertThat(made.json().get("requestId").asString()).isEqualTo(made.header("X-Request-Id"));
    }

    @Test
    void answers_unknown_routes_wrong_methods_and_media_types_with_problems() {
        Response unknown = api.get("/api/v1/nothing-here");
        Response method = api.send("PATCH", "/api/v1/projects", "{}");
        Response media = api.post("/api/v1/projects", "name=x", "Content-Type", "text/plain");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
        assertThat(method.status()).isEqualTo(405);
        assertThat(media.status()).isEqualTo(415);
        assertThat(media.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void rejects_an_empty_body_where_one_is_required() {
        Response response = api.send("POST", "/api/v1/projects", "", "Content-Type", "application/json");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).isEqualTo("A JSON request body is required.");
    }

    @Test
    void serves_openapi_and_swagger_ui_without_a_key() {
        Response docs = api.withKey(null).get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().get("paths").has("/api/v1/projects/{project}/prompts/{prompt}/versions"))
                .isTrue();
        Response ui = api.withKey(null).get("/docs");
        assertThat(ui.status()).isIn(200, 302);
        Response page = api.withKey(null).get("/swagger-ui/index.html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Swagger UI");
    }

    @Test
    void never_leaks_internals_for_a_garbled_path() {
        // when a request line the JDK client would refuse to send is written on a raw socket
        String response = api.raw("GET /api/v1/projects/%ZZ HTTP/1.1");
        // then
        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(response).contains("Content-Type: application/problem+json").contains("\"status\":400");
        assertThat(response).doesNotContain("Exception").doesNotContain("at org.");
    }

    @Test
    void keeps_the_bootstrap_key_usable_for_writes() {
        Response created = api.post("/api/v1/projects", Http.json(Map.of("name", unique("basics"))));
        assertThat(created.status()).isEqualTo(201);
    }

    /** A request body published in several chunks with no declared length. */
    private record ChunkedBody(byte[] head, byte[] chunk, int count) implements HttpRequest.BodyPublisher {
        @Override
        public long contentLength() {
            return -1;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            subscriber.onSubscribe(new Flow.Subscription() {
                private int sent = -1;
                private boolean done;

                @Override
                public void request(long n) {
                    for (long i = 0; i < n && !done; i++) {
                        if (sent == count) {
                            done = true;
                            subscriber.onComplete();
                            return;
                        }
                        // advance before onNext: the subscriber may call request() from inside it
                        ByteBuffer next = ByteBuffer.wrap(sent < 0 ? head : chunk);
                        sent++;
                        subscriber.onNext(next);
                    }
                }

                @Override
                public void cancel() {
                    done = true;
                }
            });
        }
    }
}
