package dev.promptforge.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PiiAnonymizerTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final PiiAnonymizer ANONYMIZER =
            PiiAnonymizer.builder().hmacKey(KEY).encryptionKey(KEY).build();

    private static Anonymized run(String text, PiiPolicy policy, PiiVault vault) {
        return ANONYMIZER.anonymize(text, Found.ANALYZER.analyze(text), policy, vault);
    }

    @Test
    void replaces_with_the_type_by_default_of_the_replace_operator() {
        // given
        var policy = PiiPolicy.defaults().withDefaultOperator(Operator.replace());

        // when
        var result = run("Mail jane@example.com now", policy, PiiVault.create());

        // then
        assertThat(result.text()).isEqualTo("Mail <EMAIL_ADDRESS> now");
        assertThat(result.items()).containsExactly(new AnonymizedItem("EMAIL_ADDRESS", 5, 20, "replace"));
    }

    @Test
    void numbers_placeholders_consistently_within_a_request() {
        // given
        var vault = PiiVault.create();
        var policy = PiiPolicy.defaults();

        // when
        var first = run("Card 4111 1111 1111 1111, mail JANE@example.com", policy, vault);
        var second = run("Again 4111-1111-1111-1111 and jane@example.com, also bob@example.com", policy, vault);

        // then
        assertThat(first.text()).isEqualTo("Card <CREDIT_CARD_1>, mail <EMAIL_ADDRESS_1>");
        assertThat(second.text()).isEqualTo("Again <CREDIT_CARD_1> and <EMAIL_ADDRESS_1>, also <EMAIL_ADDRESS_2>");
        assertThat(vault.size()).isEqualTo(3);
    }

    @Test
    void placeholder_numbers_skip_ones_already_in_the_text() {
        // given
        var vault = PiiVault.create();

        // when
        var result = run("Literal <EMAIL_ADDRESS_1> and jane@example.com", PiiPolicy.defaults(), vault);

        // then
        assertThat(result.text()).isEqualTo("Literal <EMAIL_ADDRESS_1> and <EMAIL_ADDRESS_2>");
        assertThat(vault.restore(result.text())).isEqualTo("Literal <EMAIL_ADDRESS_1> and jane@example.com");
    }

    @Test
    void applies_the_operator_of_each_type() {
        // given
        var policy = PiiPolicy.defaults()
                .withOperator("CREDIT_CARD", Operator.mask('*', 4))
                .withOperator("EMAIL_ADDRESS", Operator.redact())
                .withOperator("IP_ADDRESS", Operator.keep())
                .withOperator("US_SSN", Operator.replaceWith("[ssn]"));
        String text = "4111-1111-1111-1111 jane@example.com 10.0.0.1 123-45-6789";

        // when
        var result = run(text, policy, PiiVault.create());

        // then
        assertThat(result.text()).isEqualTo("****-****-****-1111  10.0.0.1 [ssn]");
        assertThat(result.items())
                .extracting(AnonymizedItem::operator)
                .containsExactly("mask", "redact", "keep", "replace");
    }

    @Test
    void masks_a_count_from_the_end() {
        // given
        var mask = new Operator.Mask('#', 3, true, 0);

        // when
        String masked = DefaultPiiAnonymizer.mask("415-555-2671", mask);

        // then
        assertThat(masked).isEqualTo("415-555-2###");
    }

    @Test
    void hashes_with_the_project_key() {
        // given
        var policy = PiiPolicy.defaults().withDefaultOperator(Operator.hash());
        byte[] otherKey = Arrays.copyOf(KEY, 32);
        otherKey[0] ^= 1;
        var other = PiiAnonymizer.builder().hmacKey(otherKey).build();
        String text = "jane@example.com";
        var entities = Found.ANALYZER.analyze(text);

        // when
        String hash =
                ANONYMIZER.anonymize(text, entities, policy, PiiVault.create()).text();
        String again =
                ANONYMIZER.anonymize(text, entities, policy, PiiVault.create()).text();
        String otherHash =
                other.anonymize(text, entities, policy, PiiVault.create()).text();

        // then
        assertThat(hash).hasSize(64).isHexadecimal().isEqualTo(again).isNotEqualTo(otherHash);
    }

    @Test
    void encrypts_reversibly_with_the_key_and_detects_tampering() {
        // given
        var policy = PiiPolicy.defaults().withDefaultOperator(Operator.encrypt());
        String text = "jane@example.com";

        // when
        String token = run(text, policy, PiiVault.create()).text();

        // then
        assertThat(token).isNotEqualTo(text).doesNotContain("jane");
        assertThat(ANONYMIZER.decrypt(token)).isEqualTo(text);
        String tampered = (token.charAt(20) == 'A' ? "B" : "A");
        String altered = token.substring(0, 20) + tampered + token.substring(21);
        assertThatThrownBy(() -> ANONYMIZER.decrypt(altered)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refuses_to_hash_or_encrypt_without_a_key() {
        // given
        var keyless = PiiAnonymizer.builder().build();
        String text = "jane@example.com";
        var entities = Found.ANALYZER.analyze(text);

        // when / then
        assertThatThrownBy(() -> keyless.anonymize(
                        text, entities, PiiPolicy.defaults().withDefaultOperator(Operator.hash()), PiiVault.create()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no HMAC key");
        assertThatThrownBy(() -> keyless.anonymize(
                        text,
                        entities,
                        PiiPolicy.defaults().withDefaultOperator(Operator.encrypt()),
                        PiiVault.create()))
                .hasMessageContaining("no encryption key");
    }

    @Test
    void merges_overlapping_entities_so_nothing_leaks() {
        // given
        String text = "abcdefghij";
        var entities = List.of(new PiiEntity("PERSON", 0, 5, 0.6, "a"), new PiiEntity("EMAIL_ADDRESS", 3, 8, 0.9, "b"));

        // when
        var result = ANONYMIZER.anonymize(
                text, entities, PiiPolicy.defaults().withDefaultOperator(Operator.replace()), PiiVault.create());

        // then
        assertThat(result.text()).isEqualTo("<EMAIL_ADDRESS>ij");
    }
}
