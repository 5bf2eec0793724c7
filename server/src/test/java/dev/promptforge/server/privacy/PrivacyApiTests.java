package dev.promptforge.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.promptforge.server.support.ApiTestBase;
import dev.promptforge.server.support.Http;
import dev.promptforge.server.support.Http.Response;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** PII policies and the playground endpoints through HTTP, on both databases. */
abstract class PrivacyApiTests extends ApiTestBase {

    private String project;

    @BeforeEach
    void project() {
        project = unique("pii");
        api.post("/api/v1/projects", Http.json(Map.of("name", project)));
    }

    @Test
    void a_project_starts_with_the_default_policy_and_keeps_the_one_it_is_given() {
        // when
        JsonNode initial =
                api.get("/api/v1/projects/" + project + "/pii-policy").json();
        Response saved = api.put("/api/v1/projects/" + project + "/pii-policy", """
                {"mode": "anonymize", "entities": ["CREDIT_CARD", "EMAIL_ADDRESS"],
                 "thresholds": {"EMAIL_ADDRESS": 0.6},
                 "operators": {"CREDIT_CARD": {"type": "mask", "character": "#", "keepLast": 4}},
                 "defaultOperator": {"type": "replace"}}
                """);
        JsonNode fetched =
                api.get("/api/v1/projects/" + project + "/pii-policy").json();
        // then
        assertThat(initial.get("mode").asString()).isEqualTo("anonymize");
        assertThat(initial.get("defaultOperator").get("type").asString()).isEqualTo("placeholder");
        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        assertThat(fetched.get("entities").toString()).isEqualTo("[\"CREDIT_CARD\",\"EMAIL_ADDRESS\"]");
        assertThat(fetched.get("operators").get("CREDIT_CARD").get("keepLast").asInt())
                .isEqualTo(4);
        // and anonymize applies it
        Response anonymized = api.post(
                "/api/v1/pii/anonymize",
                Http.json(Map.of("project", project, "text", "Card 4111 1111 1111 1111, mail ana@example.com")));
        assertThat(anonymized.json().get("text").asString())
                .isEqualTo("Card #### #### #### 1111, mail <EMAIL_ADDRESS>");
    }

    @Test
    void rejects_an_invalid_policy_naming_each_field() {
        Response response = api.put("/api/v1/projects/" + project + "/pii-policy", """
                {"mode": "sometimes", "entities": ["CREDIT_CARDS"], "thresholds": {"PERSON": 3},
                 "operators": {"PERSON": {"type": "shred"}}}
                """);
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().get("errors").toString())
                .contains("\"mode\"")
                .contains("entities[0]")
                .contains("thresholds.PERSON")
                .contains("operators.PERSON.type");
    }

    @Test
    void analyzes_text_with_utf16_offsets() {
        // given
        String text = "Écrivez à jean.dupont@example.fr ou appelez +33 6 12 34 56 78.";
        // when
        Response response = api.post("/api/v1/pii/analyze", Http.json(Map.of("text", text)));
        // then
        assertThat(response.status()).isEqualTo(200);
        JsonNode entities = response.json().get("entities");
        assertThat(entities.toString()).contains("EMAIL_ADDRESS").contains("PHONE_NUMBER");
        for (JsonNode entity : entities) {
            String found = text.substring(
                    entity.get("start").asInt(), entity.get("end").asInt());
            if (entity.get("type").asString().equals("EMAIL_ADDRESS")) {
                assertThat(found).isEqualTo("jean.dupont@example.fr");
            }
            assertThat(entity.get("score").asDouble()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void playground_requests_need_text_and_an_existing_project() {
        assertThat(api.post("/api/v1/pii/analyze", "{}").status()).isEqualTo(422);
        assertThat(api.post("/api/v1/pii/anonymize", Http.json(Map.of("text", "x", "project", unique("none"))))
                        .status())
                .isEqualTo(404);
        assertThat(api.withKey(null)
                        .post("/api/v1/pii/analyze", Http.json(Map.of("text", "x")))
                        .status())
                .isEqualTo(401);
    }
}
