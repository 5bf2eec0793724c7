package dev.promptforge.server.privacy;

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

    private static final String CUSTOM_POLICY = """
            {"entities": ["EMAIL_ADDRESS"],
             "allowList": ["support@bank.example"],
             "operators": {"EMPLOYEE_ID": {"type": "mask", "character": "#", "keepLast": 2}},
             "recognizers": [
               {"name": "employee-id", "entity": "EMPLOYEE_ID", "pattern": "EMP-[0-9]{6}", "score": 0.4,
                "context": ["employee", "staff id"]},
               {"name": "code-names", "entity": "PROJECT", "denyList": ["Blue Heron", "Falcon"]}]}
            """;

    @Test
    void a_policy_keeps_its_allow_list_and_ad_hoc_recognizers_and_anonymize_applies_them() {
        // when
        Response saved = api.put("/api/v1/projects/" + project + "/pii-policy", CUSTOM_POLICY);
        JsonNode fetched =
                api.get("/api/v1/projects/" + project + "/pii-policy").json();
        Response anonymized = api.post(
                "/api/v1/pii/anonymize",
                Http.json(Map.of(
                        "project",
                        project,
                        "text",
                        "Employee EMP-123456 on blue heron wrote to support@bank.example and ana@example.com;"
                                + " EMP-654321 is not near its cue.")));
        // then
        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        assertThat(fetched.get("allowList").toString()).isEqualTo("[\"support@bank.example\"]");
        JsonNode pattern = fetched.get("recognizers").get(0);
        assertThat(pattern.get("pattern").asString()).isEqualTo("EMP-[0-9]{6}");
        assertThat(pattern.get("context").toString()).isEqualTo("[\"employee\",\"staff id\"]");
        assertThat(fetched.get("recognizers").get(1).get("denyList").toString())
                .isEqualTo("[\"Blue Heron\",\"Falcon\"]");
        assertThat(anonymized.status()).as(anonymized.toString()).isEqualTo(200);
        assertThat(anonymized.json().get("text").asString())
                .isEqualTo("Employee ###-####56 on <PROJECT_1> wrote to support@bank.example and <EMAIL_ADDRESS_1>;"
                        + " EMP-654321 is not near its cue.");
    }

    @Test
    void a_pattern_recognizer_without_a_score_gets_the_default_one() {
        // when
        api.put("/api/v1/projects/" + project + "/pii-policy", """
                {"recognizers": [{"name": "ticket", "entity": "TICKET", "pattern": "TCK-[0-9]{4}"}]}
                """);
        JsonNode recognizer = api.get("/api/v1/projects/" + project + "/pii-policy")
                .json()
                .get("recognizers")
                .get(0);
        Response analyzed =
                api.post("/api/v1/pii/analyze", Http.json(Map.of("project", project, "text", "see TCK-0042 now")));
        // then
        assertThat(recognizer.get("score").asDouble()).isEqualTo(0.8);
        assertThat(analyzed.json().get("entities").toString())
                .isEqualTo("[{\"type\":\"TICKET\",\"start\":4,\"end\":12,\"score\":0.8}]");
    }

    @Test
    void rejects_bad_ad_hoc_recognizers_and_allow_lists_naming_each_field() {
        // when
        Response response = api.put("/api/v1/projects/" + project + "/pii-policy", """
                {"entities": ["EMPLOYEE_IDS"],
                 "allowList": [" "],
                 "recognizers": [
                   {"name": "broken", "entity": "EMPLOYEE_ID", "pattern": "EMP-(\\\\d{6}"},
                   {"name": "lookahead", "entity": "EMPLOYEE_ID", "pattern": "(?=EMP)EMP-\\\\d+"},
                   {"name": "empty", "entity": "X", "pattern": "a*"},
                   {"name": "both", "entity": "PROJECT", "pattern": "x", "denyList": ["y"]},
                   {"name": "neither", "entity": "PROJECT"},
                   {"name": "lower", "entity": "employee", "denyList": ["z"], "context": ["staff"]},
                   {"name": "broken", "entity": "PROJECT", "denyList": ["Heron"]},
                   {"name": "dashes", "entity": "PROJECT", "denyList": ["--"]}]}
                """);
        // then
        assertThat(response.status()).as(response.toString()).isEqualTo(422);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        JsonNode errors = response.json().get("errors");
        assertThat(fields(errors))
                .containsExactlyInAnyOrder(
                        "recognizers[0].pattern",
                        "recognizers[1].pattern",
                        "recognizers[2].pattern",
                        "recognizers[3]",
                        "recognizers[4]",
                        "recognizers[5].entity",
                        "recognizers[5].context",
                        "recognizers[6].name",
                        "recognizers[7].denyList",
                        "allowList[0]",
                        "entities[0]");
        assertThat(errors.toString())
                .contains("not valid RE2 syntax")
                .contains("matches the empty string")
                .contains("deny list entry '--' of recognizer 'dashes' has no letter or digit")
                .contains("'broken' is used by another recognizer");
    }

    @Test
    void analyze_and_anonymize_take_recognizers_allow_lists_entities_and_thresholds_per_request() {
        // given
        String text = "Call +1 415 555 2671 about TCK-0042 for Maria Gonzalez, cc ops@bank.example";
        Map<String, Object> options = Map.of(
                "text",
                text,
                "entities",
                List.of("EMAIL_ADDRESS", "TICKET", "PERSON"),
                "thresholds",
                Map.of("PERSON", 1.0),
                "allowList",
                List.of("OPS@bank.example"),
                "recognizers",
                List.of(Map.of("name", "ticket", "entity", "TICKET", "pattern", "TCK-[0-9]{4}", "score", 0.9)));
        // when
        Response analyzed = api.post("/api/v1/pii/analyze", Http.json(options));
        Response anonymized = api.post("/api/v1/pii/anonymize", Http.json(options));
        Response plain = api.post("/api/v1/pii/anonymize", Http.json(Map.of("text", text)));
        // then only the request's ticket: the phone is not asked for, the name is under its threshold,
        // the address is allowed
        assertThat(analyzed.status()).as(analyzed.toString()).isEqualTo(200);
        assertThat(analyzed.json().get("entities").toString())
                .isEqualTo("[{\"type\":\"TICKET\",\"start\":27,\"end\":35,\"score\":0.9}]");
        assertThat(anonymized.json().get("text").asString())
                .isEqualTo("Call +1 415 555 2671 about <TICKET_1> for Maria Gonzalez, cc ops@bank.example");
        assertThat(plain.json().get("text").asString())
                .isEqualTo("Call <PHONE_NUMBER_1> about TCK-0042 for <PERSON_1>, cc <EMAIL_ADDRESS_1>");
    }

    @Test
    void a_request_adds_its_recognizers_to_the_projects_and_may_name_their_types() {
        // given
        api.put("/api/v1/projects/" + project + "/pii-policy", CUSTOM_POLICY);
        // when
        Response response = api.post(
                "/api/v1/pii/anonymize",
                Http.json(Map.of(
                        "project",
                        project,
                        "text",
                        "Falcon: TCK-0042, ana@example.com",
                        "recognizers",
                        List.of(Map.of("name", "code-names", "entity", "TICKET", "pattern", "TCK-[0-9]{4}")))));
        Response narrowed = api.post(
                "/api/v1/pii/analyze",
                Http.json(Map.of(
                        "project",
                        project,
                        "text",
                        "Falcon: TCK-0042, ana@example.com",
                        "entities",
                        List.of("PROJECT"))));
        // then the request's recognizer may reuse a project recognizer's name, and the project's types can be asked for
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().get("text").asString()).isEqualTo("<PROJECT_1>: <TICKET_1>, <EMAIL_ADDRESS_1>");
        assertThat(narrowed.json().get("entities").toString())
                .isEqualTo("[{\"type\":\"PROJECT\",\"start\":0,\"end\":6,\"score\":1.0}]");
    }

    @Test
    void rejects_bad_request_options_with_problems_naming_the_field() {
        // when
        Response badPattern = api.post(
                "/api/v1/pii/analyze",
                Http.json(Map.of(
                        "text",
                        "x",
                        "recognizers",
                        List.of(Map.of("name", "r", "entity", "R", "pattern", "(a+)\\1")))));
        Response unknownEntity = api.post(
                "/api/v1/pii/anonymize",
                Http.json(Map.of("text", "x", "entities", List.of("CREDIT_CARDS"), "thresholds", Map.of("PERSON", 2))));
        Response notANumber = api.post("/api/v1/pii/analyze", """
                {"text": "x", "recognizers": [{"name": "r", "entity": "R", "pattern": "x", "score": "high"}]}
                """);
        Response unknownField = api.post("/api/v1/pii/analyze", """
                {"text": "x", "recognizers": [{"name": "r", "entity": "R", "regex": "x"}]}
                """);
        // then
        assertThat(badPattern.status()).isEqualTo(422);
        assertThat(badPattern.json().get("detail").asString())
                .startsWith("recognizers[0].pattern: pattern of recognizer 'r' is not valid RE2 syntax");
        assertThat(unknownEntity.status()).isEqualTo(422);
        assertThat(fields(unknownEntity.json().get("errors"))).containsExactly("entities[0]", "thresholds.PERSON");
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.header("Content-Type")).startsWith("application/problem+json");
        assertThat(notANumber.json().get("detail").asString()).contains("recognizers[0].score");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().get("detail").asString())
                .contains("regex")
                .contains("pattern");
    }

    @Test
    void a_projects_ad_hoc_recognizer_anonymizes_the_prompt_before_the_provider_sees_it() {
        // given a project whose policy knows its employee ids and code names, and a provider that echoes
        // exactly what it received
        api.put("/api/v1/projects/" + project + "/pii-policy", CUSTOM_POLICY);
        String prompt = "Employee EMP-123456 leads Blue Heron; mail ana@example.com.";
        // when
        Response response = api.post(
                "/api/v1/prompt/execute",
                Http.json(Map.of(
                        "project",
                        project,
                        "model",
                        "local/echo",
                        "messages",
                        List.of(Map.of("role", "user", "content", prompt)))));
        // then the provider saw the masked id and placeholders, the client got the restorable ones back
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().get("output").asString())
                .isEqualTo("Employee ###-####56 leads Blue Heron; mail ana@example.com.");
        JsonNode record = api.get(
                        "/api/v1/records/" + response.json().get("recordId").asString())
                .json();
        assertThat(record.get("output").asString())
                .isEqualTo("Employee ###-####56 leads <PROJECT_1>; mail <EMAIL_ADDRESS_1>.");
        assertThat(record.toString()).doesNotContain("EMP-123456").doesNotContain("ana@example.com");
        assertThat(record.get("pii").get("EMPLOYEE_ID").asInt()).isEqualTo(1);
        assertThat(record.get("pii").get("PROJECT").asInt()).isEqualTo(1);
    }

    private static List<String> fields(JsonNode errors) {
        List<String> fields = new ArrayList<>();
        errors.forEach(error -> fields.add(error.get("field").asString()));
        return fields;
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
