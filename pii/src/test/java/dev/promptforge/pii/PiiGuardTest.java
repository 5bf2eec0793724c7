package dev.promptforge.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PiiGuardTest {

    private static final PiiGuard GUARD =
            PiiGuard.of(Found.ANALYZER, PiiAnonymizer.builder().build());

    @Test
    void anonymizes_and_restores_through_the_vault() {
        // given
        var vault = PiiVault.create();
        String prompt = "Email jane@example.com about card 4111 1111 1111 1111.";

        // when
        var safe = GUARD.protect(prompt, PiiPolicy.defaults(), vault);
        String answer = "I wrote to <EMAIL_ADDRESS_1> about <CREDIT_CARD_1>.";

        // then
        assertThat(safe.text()).isEqualTo("Email <EMAIL_ADDRESS_1> about card <CREDIT_CARD_1>.");
        assertThat(vault.restore(answer)).isEqualTo("I wrote to jane@example.com about 4111 1111 1111 1111.");
    }

    @Test
    void off_mode_lets_the_text_through_unchanged() {
        // given
        String text = "jane@example.com";

        // when
        var result = GUARD.protect(text, PiiPolicy.defaults().withMode(PiiPolicy.Mode.OFF), PiiVault.create());

        // then
        assertThat(result.text()).isEqualTo(text);
        assertThat(result.items()).isEmpty();
    }

    @Test
    void block_mode_refuses_text_with_personal_data_without_echoing_it() {
        // given
        var policy = PiiPolicy.defaults().withMode(PiiPolicy.Mode.BLOCK);

        // when / then
        assertThatThrownBy(() -> GUARD.protect("mail jane@example.com", policy, PiiVault.create()))
                .isInstanceOfSatisfying(
                        PiiBlockedException.class, e -> assertThat(e.types()).containsExactly("EMAIL_ADDRESS"))
                .message()
                .doesNotContain("jane");
        assertThat(GUARD.protect("nothing here", policy, PiiVault.create()).text())
                .isEqualTo("nothing here");
    }

    @Test
    void policy_entities_limit_what_is_anonymized() {
        // given
        var policy = PiiPolicy.defaults().withEntities(Set.of("CREDIT_CARD"));

        // when
        var result = GUARD.protect("jane@example.com 4111111111111111", policy, PiiVault.create());

        // then
        assertThat(result.text()).isEqualTo("jane@example.com <CREDIT_CARD_1>");
    }

    @Test
    void a_policy_applies_its_allow_list_and_ad_hoc_recognizers_next_to_its_entities() {
        // given: a project that looks for cards and emails, its employee ids and code names
        var policy = PiiPolicy.defaults()
                .withEntities(Set.of("CREDIT_CARD", "EMAIL_ADDRESS"))
                .withAllowList(Set.of("support@bank.example"))
                .withRecognizers(List.of(
                        Recognizers.pattern("employee-id", "EMPLOYEE_ID", "EMP-[0-9]{6}", 0.9),
                        Recognizers.denyList("code-names", "PROJECT", List.of("Blue Heron"))));
        String text = "EMP-123456 on blue heron mailed support@bank.example and jane@example.com.";

        // when
        var result = GUARD.protect(text, policy, PiiVault.create());

        // then
        assertThat(result.text())
                .isEqualTo("<EMPLOYEE_ID_1> on <PROJECT_1> mailed support@bank.example and <EMAIL_ADDRESS_1>.");
    }

    @Test
    void request_options_add_to_the_policys_allow_list_and_recognizers() {
        // given
        var policy = PiiPolicy.defaults()
                .withEntities(Set.of("EMAIL_ADDRESS"))
                .withAllowList(Set.of("a@bank.example"))
                .withRecognizers(List.of(Recognizers.pattern("employee-id", "EMPLOYEE_ID", "EMP-[0-9]{6}", 0.9)));
        var request = AnalysisOptions.defaults()
                .withAllowList(Set.of("b@bank.example"))
                .withRecognizers(List.of(Recognizers.pattern("ticket", "TICKET", "TCK-[0-9]{4}", 0.9)));
        String text = "EMP-123456 TCK-0042 a@bank.example b@bank.example c@bank.example";

        // when
        var merged = policy.analysisOptions(request);
        var result = GUARD.protect(text, policy, request, PiiVault.create());
        var narrowed = GUARD.protect(text, policy, request.withEntities(Set.of("TICKET")), PiiVault.create());

        // then
        assertThat(merged.entities()).containsExactlyInAnyOrder("EMAIL_ADDRESS", "EMPLOYEE_ID", "TICKET");
        assertThat(merged.allowList()).containsExactlyInAnyOrder("a@bank.example", "b@bank.example");
        assertThat(result.text())
                .isEqualTo("<EMPLOYEE_ID_1> <TICKET_1> a@bank.example b@bank.example <EMAIL_ADDRESS_1>");
        assertThat(narrowed.text()).isEqualTo("EMP-123456 <TICKET_1> a@bank.example b@bank.example c@bank.example");
    }

    @Test
    void fails_closed_when_a_recognizer_throws() {
        // given
        Recognizer broken = new Recognizer() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Set<String> entityTypes() {
                return Set.of("X");
            }

            @Override
            public List<PiiEntity> recognize(String text) {
                throw new IllegalStateException("model server down for " + text);
            }
        };
        var guard = PiiGuard.of(
                PiiAnalyzer.builder().addDefaultRecognizers().add(broken).build(),
                PiiAnonymizer.builder().build());

        // when / then
        assertThatThrownBy(() -> guard.protect("secret jane@example.com", PiiPolicy.defaults(), PiiVault.create()))
                .isInstanceOf(PiiException.class)
                .hasMessageContaining("must not be sent")
                .hasMessageNotContaining("jane")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void fails_closed_when_the_time_budget_is_spent() {
        // given
        var guard = PiiGuard.of(
                PiiAnalyzer.builder()
                        .addDefaultRecognizers()
                        .timeBudget(Duration.ofNanos(1))
                        .build(),
                PiiAnonymizer.builder().build());
        String text = "jane@example.com ".repeat(50_000);

        // when / then
        assertThatThrownBy(() -> guard.protect(text, PiiPolicy.defaults(), PiiVault.create()))
                .isInstanceOf(PiiTimeoutException.class);
    }

    @Test
    void fails_closed_when_the_policy_hashes_without_a_key() {
        // given
        var policy = PiiPolicy.defaults().withDefaultOperator(Operator.hash());

        // when / then
        assertThatThrownBy(() -> GUARD.protect("jane@example.com", policy, PiiVault.create()))
                .isInstanceOf(PiiException.class)
                .hasMessageContaining("must not be sent");
    }
}
