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
