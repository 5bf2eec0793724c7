package dev.promptforge.eval.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.promptforge.eval.Assertion;
import dev.promptforge.eval.CompiledAssertion;
import dev.promptforge.eval.EvalProvider;
import dev.promptforge.eval.Message;
import dev.promptforge.eval.ProviderRequest;
import dev.promptforge.eval.ProviderResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteLoaderTest {

    @TempDir
    Path dir;

    /** Knows local/echo and anything under test:, like the CLI knows its provider types. */
    private static final ProviderResolver PROVIDERS = spec -> {
        if (!spec.id().equals("local/echo") && !spec.id().startsWith("test:")) {
            throw new IllegalArgumentException("unknown provider '" + spec.id() + "'");
        }
        return new EvalProvider() {
            @Override
            public String id() {
                return spec.id();
            }

            @Override
            public ProviderResponse call(ProviderRequest request) {
                return ProviderResponse.of(request.prompt());
            }
        };
    };

    private final SuiteLoader loader =
            SuiteLoader.builder().providers(PROVIDERS).build();

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    private Suite load(String yaml) throws IOException {
        return loader.load(write("promptfooconfig.yaml", yaml));
    }

    private static List<String> types(TestCase test) {
        return test.assertions().stream()
                .map(CompiledAssertion::assertion)
                .map(Assertion::type)
                .toList();
    }

    @Test
    void loads_prompts_providers_tests_and_merges_default_test() throws IOException {
        // given
        var suite = load("""
                description: Support answers
                tags: {team: support}
                prompts:
                  - "Answer {{question}} for {{bank}}"
                  - {raw: "Short: {{question}}", label: short}
                providers:
                  - local/echo
                  - {id: "test:model", label: Model A, config: {temperature: 0}}
                defaultTest:
                  vars: {bank: Acme}
                  assert:
                    - {type: not-contains, value: password}
                  threshold: 0.5
                tests:
                  - description: wire fee
                    vars: {question: How much is a wire?}
                    assert:
                      - type: contains
                        value: wire
                        weight: 2
                        metric: coverage
                  - vars: {question: Card?, bank: Beta}
                    threshold: 0.9
                evaluateOptions: {maxConcurrency: 2, repeat: 3, delay: 10, timeoutMs: 5000, cache: false}
                outputPath: [out.json, out.html]
                """);

        // then
        assertThat(suite.description()).isEqualTo("Support answers");
        assertThat(suite.tags()).containsEntry("team", "support");
        assertThat(suite.prompts())
                .extracting(SuitePrompt::label)
                .containsExactly("Answer {{question}} for {{bank}}", "short");
        assertThat(suite.providers()).extracting(SuiteProvider::label).containsExactly("local/echo", "Model A");
        assertThat(suite.providers().get(1).spec().config()).containsEntry("temperature", 0L);
        assertThat(suite.tests()).hasSize(2);
        var first = suite.tests().get(0);
        assertThat(first.description()).isEqualTo("wire fee");
        assertThat(first.vars()).containsEntry("bank", "Acme").containsEntry("question", "How much is a wire?");
        assertThat(types(first)).containsExactly("not-contains", "contains");
        assertThat(first.assertions().get(1).assertion().weight()).isEqualTo(2.0);
        assertThat(first.threshold()).isEqualTo(0.5);
        assertThat(suite.tests().get(1).vars()).containsEntry("bank", "Beta");
        assertThat(suite.tests().get(1).threshold()).isEqualTo(0.9);
        assertThat(suite.options()).isEqualTo(new EvaluateOptions(2, 3, 10, 5000, false));
        assertThat(suite.outputPaths()).containsExactly("out.json", "out.html");
        var request = suite.prompts().get(0).render(first.vars(), null, null);
        assertThat(request.prompt()).isEqualTo("Answer How much is a wire? for Acme");
        assertThat(request.messages()).containsExactly(Message.user("Answer How much is a wire? for Acme"));
    }

    @Test
    void names_the_file_line_and_column_of_an_unknown_key() throws IOException {
        assertThatThrownBy(() -> load("""
                prompts: [hi]
                providers: [local/echo]
                tests:
                  - vars: {a: 1}
                    asert: []
                """))
                .isInstanceOf(SuiteException.class)
                .hasMessageStartingWith(dir.resolve("promptfooconfig.yaml") + ":5:5: unknown key 'asert' in a test")
                .hasMessageContaining("allowed: assert, description, metadata, options, threshold, vars");
    }

    @Test
    void rejects_unknown_and_unsupported_top_level_keys() throws IOException {
        assertThatThrownBy(() -> load("prompts: [hi]\nproviders: [local/echo]\nfoo: 1\n"))
                .hasMessageContaining(":3:1: unknown key 'foo' in the suite");
        assertThatThrownBy(() -> load("prompts: [hi]\nproviders: [local/echo]\nderivedMetrics: []\n"))
                .hasMessageContaining(":3:1: 'derivedMetrics' is a promptfoo setting PromptForge does not support");
        assertThatThrownBy(() -> load("prompts: [hi]\nproviders: [local/echo]\nsharing: true\n"))
                .hasMessageContaining("PromptForge never shares results");
    }

    @Test
    void rejects_javascript_assertions_and_transforms_where_they_are_written() throws IOException {
        assertThatThrownBy(() -> load("""
                prompts: [hi]
                providers: [local/echo]
                tests:
                  - assert:
                      - type: contains
                        value: x
                      - type: javascript
                        value: output.length > 2
                """))
                .hasMessageStartingWith(
                        dir.resolve("promptfooconfig.yaml") + ":7:9: 'javascript' assertions are not" + " supported");
        assertThatThrownBy(() -> load("""
                prompts: [hi]
                providers: [local/echo]
                tests:
                  - assert:
                      - type: contains
                        value: x
                        transform: output.trim()
                """))
                .hasMessageContaining(":7:9: 'transform' in an assertion: assertion transforms run JavaScript");
    }

    @Test
    void rejects_pii_leak_when_no_detector_is_wired_at_load_time() throws IOException {
        assertThatThrownBy(() -> load("""
                prompts: [hi]
                providers: [local/echo]
                defaultTest:
                  assert:
                    - type: pii-leak
                """))
                .isInstanceOf(SuiteException.class)
                .hasMessageContaining(":5:7: pii-leak needs a PII detector");
    }

    @Test
    void reports_template_errors_unknown_providers_and_missing_files_with_locations() throws IOException {
        assertThatThrownBy(() -> load("prompts: ['{% for x in y %}{{x}}{% endfor %}']\nproviders: [local/echo]\n"))
                .hasMessageContaining(":1:11: prompt")
                .hasMessageContaining("'{% for %}' is not supported");
        assertThatThrownBy(() -> load("prompts: [hi]\nproviders:\n  - local/echo\n  - openai:nope\n"))
                .hasMessageContaining(":4:5: unknown provider 'openai:nope'");
        assertThatThrownBy(() -> load("prompts: [hi]\nproviders: [local/echo]\ntests: file://missing.csv\n"))
                .hasMessageContaining(
                        ":3:8: cannot read the test file " + dir.resolve("missing.csv") + ": no such file");
    }

    @Test
    void reports_yaml_syntax_errors_and_duplicate_keys_with_locations() throws IOException {
        assertThatThrownBy(() -> load("prompts: [hi\nproviders: [local/echo]\n"))
                .isInstanceOf(SuiteException.class)
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> load("prompts: [hi]\nproviders: [local/echo]\nprompts: [again]\n"))
                .hasMessageContaining(":3:1: duplicate key 'prompts' (first at ");
    }

    @Test
    void reads_csv_tests_with_expected_columns_and_special_columns() throws IOException {
        // given
        write("tests.csv", """
                question,__expected1,__expected2,__description,__metric,__threshold
                "What is 2+2, really?",contains:4,"icontains-any:four,4",sum,math,0.5
                Capital of France?,Paris,not-regex:\\d,capital,,
                """);

        // when
        var suite = load("prompts: ['{{question}}']\nproviders: [local/echo]\ntests: file://tests.csv\n");

        // then
        assertThat(suite.tests()).hasSize(2);
        var first = suite.tests().get(0);
        assertThat(first.vars()).containsExactly(Map.entry("question", "What is 2+2, really?"));
        assertThat(first.description()).isEqualTo("sum");
        assertThat(first.threshold()).isEqualTo(0.5);
        assertThat(first.assertions())
                .extracting(a -> a.assertion().type())
                .containsExactly("contains", "icontains-any");
        assertThat(first.assertions()).extracting(a -> a.assertion().value()).containsExactly("4", "four,4");
        assertThat(first.assertions()).extracting(a -> a.assertion().metric()).containsOnly("math");
        var second = suite.tests().get(1);
        assertThat(types(second)).containsExactly("equals", "not-regex");
        assertThat(second.location().toString()).isEqualTo(dir.resolve("tests.csv") + ":3");
    }

    @Test
    void gives_csv_levenshtein_and_starts_with_promptfoos_default_threshold_of_0_75() throws IOException {
        // given: promptfoo's assertionFromString sets threshold 0.75 on these when the cell names none
        write("tests.csv", """
                answer,__expected1,__expected2,__expected3
                hello,levenshtein:hallo,levenshtein(3):hallo,starts-with:he
                """);

        // when
        var suite = load("prompts: ['{{answer}}']\nproviders: [local/echo]\ntests: file://tests.csv\n");

        // then
        assertThat(suite.tests().get(0).assertions())
                .extracting(a -> a.assertion().threshold())
                .containsExactly(0.75, 3.0, 0.75);
    }

    @Test
    void reports_csv_problems_with_their_line() throws IOException {
        write("bad.csv", "q,__expected,__weird\na,contains:a,x\n");
        assertThatThrownBy(() -> load("prompts: ['{{q}}']\nproviders: [local/echo]\ntests: file://bad.csv\n"))
                .hasMessageContaining("bad.csv:1: unknown special column '__weird'");
        write("short.csv", "q,__expected\na,contains:a\nb\n");
        assertThatThrownBy(() -> load("prompts: ['{{q}}']\nproviders: [local/echo]\ntests: file://short.csv\n"))
                .hasMessageContaining("short.csv:3: the row has 1 fields, the header 2");
        write("js.csv", "q,__expected\na,javascript: output.length > 1\n");
        assertThatThrownBy(() -> load("prompts: ['{{q}}']\nproviders: [local/echo]\ntests: file://js.csv\n"))
                .hasMessageContaining("js.csv:2: 'javascript' assertions are not supported");
    }

    @Test
    void reads_jsonl_tests_and_names_the_line_of_a_bad_one() throws IOException {
        write("cases/tests.jsonl", """
                {"vars": {"q": "one"}, "assert": [{"type": "contains", "value": "one"}]}

                {"vars": {"q": "two"}, "description": "second"}
                """);
        var suite = load("prompts: ['{{q}}']\nproviders: [local/echo]\ntests: [file://cases/tests.jsonl]\n");
        assertThat(suite.tests()).extracting(t -> t.vars().get("q")).containsExactly("one", "two");
        assertThat(suite.tests().get(1).description()).isEqualTo("second");

        write("cases/bad.jsonl", "{\"vars\": {}}\n{\"vars\": {}, \"assert\": [{\"type\": \"containz\"}]}\n");
        assertThatThrownBy(() -> load("prompts: ['{{q}}']\nproviders: [local/echo]\ntests: file://cases/bad.jsonl\n"))
                .hasMessageContaining("bad.jsonl:2:")
                .hasMessageContaining("unknown assertion type 'containz'");
    }

    @Test
    void reads_yaml_test_files_by_glob_with_values_relative_to_the_file() throws IOException {
        write("tests/a.yaml", "- vars: {context: file://ctx.txt}\n");
        write("tests/b.yaml", "- vars: {context: inline}\n  assert: [{type: equals, value: file://expected.json}]\n");
        write("tests/ctx.txt", "Wire transfers cost 5 dollars.");
        write("tests/expected.json", "{\"answer\": 5}");
        var suite = load("prompts: ['{{context}}']\nproviders: [local/echo]\ntests: file://tests/*.yaml\n");
        assertThat(suite.tests())
                .extracting(t -> t.vars().get("context"))
                .containsExactly("Wire transfers cost 5 dollars.", "inline");
        assertThat(suite.tests().get(1).assertions().get(0).assertion().value()).isEqualTo(Map.of("answer", 5L));
    }

    @Test
    void expands_scenarios_with_their_config_and_tests() throws IOException {
        var suite = load("""
                prompts: ['{{language}}: {{input}}']
                providers: [local/echo]
                defaultTest: {vars: {tone: formal}}
                scenarios:
                  - description: translations
                    config:
                      - vars: {language: French}
                        assert: [{type: contains, value: French}]
                      - vars: {language: German}
                    tests:
                      - vars: {input: Hello}
                      - vars: {input: Bye}
                        description: farewell
                """);
        assertThat(suite.tests()).hasSize(4);
        assertThat(suite.tests())
                .extracting(t -> t.vars().get("language") + "/" + t.vars().get("input"))
                .containsExactly("French/Hello", "French/Bye", "German/Hello", "German/Bye");
        assertThat(suite.tests())
                .extracting(TestCase::description)
                .containsExactly("translations", "farewell", "translations", "farewell");
        assertThat(suite.tests().get(0).vars()).containsEntry("tone", "formal");
        assertThat(types(suite.tests().get(1))).containsExactly("contains");
        assertThat(types(suite.tests().get(2))).isEmpty();
    }

    @Test
    void a_list_variable_makes_one_test_per_element() throws IOException {
        var suite = load("""
                prompts: ['{{a}}{{b}}']
                providers: [local/echo]
                tests:
                  - vars: {a: [x, y], b: [1, 2], c: fixed}
                """);
        assertThat(suite.tests())
                .extracting(t -> t.vars().get("a") + "" + t.vars().get("b"))
                .containsExactly("x1", "x2", "y1", "y2");
        assertThat(suite.tests()).extracting(TestCase::index).containsExactly(0, 1, 2, 3);
    }

    @Test
    void reads_prompt_files_with_separators_and_chat_prompts() throws IOException {
        write("prompts.txt", "First {{x}}\n---\nSecond {{x}}\n");
        write(
                "chat.json",
                "[{\"role\": \"system\", \"content\": \"Be brief\"}, {\"role\": \"user\", \"content\": \"{{x}}\"}]");
        var suite = load(
                "prompts: [file://prompts.txt, file://chat.json]\nproviders: [local/echo]\ntests: [{vars: {x: hi}}]\n");
        assertThat(suite.prompts()).hasSize(3);
        assertThat(suite.prompts().get(1).render(Map.of("x", "hi"), null, null).prompt())
                .isEqualTo("Second hi");
        var chat = suite.prompts().get(2).render(Map.of("x", "hi"), null, null);
        assertThat(chat.messages()).containsExactly(Message.system("Be brief"), Message.user("hi"));
    }

    @Test
    void supports_anchors_aliases_and_merge_keys() throws IOException {
        var suite = load("""
                prompts: ['{{a}} {{b}}']
                providers: [local/echo]
                defaultTest:
                  metadata: &base {a: 1, b: 2}
                tests:
                  - vars: {<<: *base, b: 3}
                  - vars: *base
                """);
        assertThat(suite.tests())
                .extracting(t -> t.vars().get("a") + "," + t.vars().get("b"))
                .containsExactly("1,3", "1,2");
    }

    @Test
    void rejects_invalid_evaluate_options() throws IOException {
        assertThatThrownBy(() -> load("prompts: [hi]\nproviders: [local/echo]\nevaluateOptions: {repeat: 0}\n"))
                .hasMessageContaining(":3:18: evaluateOptions: repeat must be at least 1");
        assertThatThrownBy(() -> load("prompts: [hi]\nproviders: [local/echo]\nevaluateOptions: {maxConcurency: 3}\n"))
                .hasMessageContaining("unknown key 'maxConcurency' in evaluateOptions");
    }

    @Test
    void without_tests_runs_each_prompt_once_with_default_test() throws IOException {
        var suite =
                load("prompts: [hi]\nproviders: [local/echo]\ndefaultTest: {assert: [{type: contains, value: hi}]}\n");
        assertThat(suite.tests()).hasSize(1);
        assertThat(types(suite.tests().get(0))).containsExactly("contains");
    }

    @Test
    void hands_the_suites_judge_to_the_evaluators_and_rejects_model_graded_assertions_without_one() throws IOException {
        // given: evaluators whose judge is the provider the suite names
        var graders = new java.util.ArrayList<String>();
        var withJudge = SuiteLoader.builder()
                .providers(PROVIDERS)
                .evaluators(grader -> {
                    var builder = dev.promptforge.eval.Evaluators.builder();
                    if (grader != null) {
                        graders.add(
                                grader.provider().id() + " " + grader.provider().config());
                        builder.judge(
                                new dev.promptforge.eval.provider.ProviderJudge(PROVIDERS.resolve(grader.provider())));
                    }
                    return builder.build();
                })
                .build();
        String yaml = """
                prompts: [hi]
                providers: [local/echo]
                defaultTest:
                  options:
                    provider: {id: "test:judge", config: {temperature: 0}}
                tests:
                  - assert: [{type: llm-rubric, value: is friendly}]
                """;

        // when
        var suite = withJudge.load(write("judged.yaml", yaml));

        // then
        assertThat(graders).containsExactly("test:judge {temperature=0}");
        assertThat(types(suite.tests().get(0))).containsExactly("llm-rubric");
        assertThatThrownBy(() -> withJudge.load(write("unjudged.yaml", """
                prompts: [hi]
                providers: [local/echo]
                tests:
                  - assert:
                      - type: llm-rubric
                        value: is friendly
                """)))
                .hasMessageContaining("unjudged.yaml:5:9: 'llm-rubric' is model-graded and needs a judge");
    }

    @Test
    void reads_a_judge_named_per_kind_in_default_test_and_on_an_assertion() throws IOException {
        // given
        var graders = new java.util.ArrayList<JudgeSpec>();
        var named = new java.util.ArrayList<Object>();
        var loader = SuiteLoader.builder()
                .providers(PROVIDERS)
                .evaluators(grader -> {
                    graders.add(grader);
                    return dev.promptforge.eval.Evaluators.builder()
                            .judgeFactory(spec -> {
                                named.add(spec);
                                return new dev.promptforge.eval.Judge() {
                                    @Override
                                    public String id() {
                                        return "stub";
                                    }

                                    @Override
                                    public String complete(List<dev.promptforge.eval.Message> messages) {
                                        throw new AssertionError("loading a suite must not call its judge");
                                    }

                                    @Override
                                    public boolean supportsEmbeddings() {
                                        return true;
                                    }
                                };
                            })
                            .build();
                })
                .build();
        String yaml = """
                prompts: [hi]
                providers: [local/echo]
                defaultTest:
                  options:
                    provider:
                      text: test:chat
                      embedding: {id: "test:embed", config: {apiBaseUrl: "http://127.0.0.1:9/v1"}}
                tests:
                  - assert:
                      - type: similar
                        value: hello
                        provider: {embedding: test:other}
                """;

        // when
        loader.load(write("kinds.yaml", yaml));

        // then
        JudgeSpec grader = graders.getFirst();
        assertThat(grader.provider()).isNull();
        assertThat(grader.text().id()).isEqualTo("test:chat");
        assertThat(grader.embedding().id()).isEqualTo("test:embed");
        assertThat(grader.embedding().config()).containsEntry("apiBaseUrl", "http://127.0.0.1:9/v1");
        assertThat(grader.moderation()).isNull();
        assertThat(grader.toString()).isEqualTo("{text: test:chat, embedding: test:embed}");
        assertThat(named).singleElement().isInstanceOfSatisfying(JudgeSpec.class, spec -> {
            assertThat(spec.embedding().id()).isEqualTo("test:other");
            assertThat(spec.location().line()).isEqualTo(12);
        });
        assertThatThrownBy(() -> loader.load(write("classify.yaml", yaml.replace("text:", "classification:"))))
                .hasMessageContaining(
                        "classify.yaml:6:7: 'classification' in a judge: classifier assertions are not" + " supported");
        assertThatThrownBy(() -> loader.load(write("typo.yaml", yaml.replace("text:", "txt:"))))
                .hasMessageContaining(
                        "typo.yaml:6:7: unknown key 'txt' in a judge (allowed: embedding, moderation," + " text)");
    }

    @Test
    void needs_prompts_unless_every_provider_brings_its_own() throws IOException {
        assertThatThrownBy(() -> load("providers: [local/echo]\n")).hasMessageContaining("the suite needs 'prompts'");
    }
}
