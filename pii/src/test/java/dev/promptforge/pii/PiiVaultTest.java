package dev.promptforge.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PiiVaultTest {

    private static PiiVault vaultWith(String... emails) {
        PiiVault vault = PiiVault.create();
        for (String email : emails) {
            vault.placeholder("EMAIL_ADDRESS", email, "");
        }
        return vault;
    }

    @Test
    void restores_placeholders_in_an_answer() {
        // given
        var vault = vaultWith("jane@example.com", "bob@example.com");

        // when
        String restored = vault.restore("Dear <EMAIL_ADDRESS_2>, cc <EMAIL_ADDRESS_1>; <EMAIL_ADDRESS_3> stays.");

        // then
        assertThat(restored).isEqualTo("Dear bob@example.com, cc jane@example.com; <EMAIL_ADDRESS_3> stays.");
    }

    @Test
    void streaming_restore_equals_whole_restore_for_every_split_point() {
        // given
        var vault = vaultWith("jane@example.com", "bob@example.com");
        String answer = "Hi <EMAIL_ADDRESS_1>! a<b, <EMAIL_ADDRESS_2><EMAIL_ADDRESS_1> <EMAIL_ADD> <";
        String expected = vault.restore(answer);

        for (int i = 0; i <= answer.length(); i++) {
            for (int j = i; j <= answer.length(); j++) {
                // when: three chunks cut at i and j
                var restorer = vault.streamingRestorer();
                String out = restorer.push(answer.substring(0, i))
                        + restorer.push(answer.substring(i, j))
                        + restorer.push(answer.substring(j))
                        + restorer.finish();

                // then
                assertThat(out).as("split at %d and %d", i, j).isEqualTo(expected);
            }
        }
    }

    @Test
    void streaming_restore_character_by_character() {
        // given
        var vault = vaultWith("jane@example.com");
        String answer = "Write to <EMAIL_ADDRESS_1> today";
        var restorer = vault.streamingRestorer();
        StringBuilder out = new StringBuilder();

        // when
        for (char c : answer.toCharArray()) {
            out.append(restorer.push(String.valueOf(c)));
        }
        out.append(restorer.finish());

        // then
        assertThat(out).hasToString("Write to jane@example.com today");
    }

    @Test
    void holds_back_only_a_possible_placeholder_prefix() {
        // given
        var vault = vaultWith("jane@example.com");
        var restorer = vault.streamingRestorer();

        // when
        String first = restorer.push("if a < b then <EMAIL_A");
        String second = restorer.push("DDRESS_1> and <b>");
        String third = restorer.push(" x <PERSON");

        // then
        assertThat(first).isEqualTo("if a < b then ");
        assertThat(second).isEqualTo("jane@example.com and <b>");
        assertThat(third).isEqualTo(" x <PERSON");
        assertThat(restorer.finish()).isEmpty();
    }

    @Test
    void finish_emits_an_unfinished_placeholder_as_text() {
        // given
        var vault = vaultWith("jane@example.com");
        var restorer = vault.streamingRestorer();

        // when
        String first = restorer.push("bye <EMAIL_ADDR");
        String rest = restorer.finish();

        // then
        assertThat(first + rest).isEqualTo("bye <EMAIL_ADDR");
    }
}
