package dev.promptforge.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FinancialRecognizersTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "4111111111111111",
                "4111 1111 1111 1111",
                "4111-1111-1111-1111",
                "5500 0000 0000 0004",
                "3782 822463 10005",
                "6011 0009 9013 9424",
                "3530111333300000",
                "2221000000000009"
            })
    void finds_cards_written_compact_spaced_or_dashed(String card) {
        // given
        String text = "Please charge " + card + " today.";

        // when
        var found = Found.in(text);

        // then
        assertThat(found).containsExactly("CREDIT_CARD:" + card);
    }

    @Test
    void rejects_luhn_failing_card() {
        // given
        String text = "Please charge 4111 1111 1111 1112 today.";

        // when
        var found = Found.in(text);

        // then
        assertThat(found).isEmpty();
    }

    @Test
    void rejects_luhn_valid_number_outside_issuer_ranges() {
        // given a Luhn-valid 16-digit number starting with 9, which no card issuer uses
        String text = "Serial 9000 0000 0000 0008 shipped.";

        // when
        var found = Found.in(text);

        // then
        assertThat(found).noneMatch(f -> f.startsWith("CREDIT_CARD"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"078-05-1120", "123-45-6789", "536-90-4399", "772-01-0001"})
    void accepts_dashed_ssn_that_follows_ssa_rules_without_prefix_blocking(String ssn) {
        // given
        String text = "The applicant gave " + ssn + " on the form.";

        // when
        var found = Found.in(text);

        // then
        assertThat(found).containsExactly("US_SSN:" + ssn);
    }

    @ParameterizedTest
    @ValueSource(strings = {"000-12-3456", "666-12-3456", "900-12-3456", "999-12-3456", "123-00-4567", "123-45-0000"})
    void rejects_ssn_against_ssa_rules(String ssn) {
        // given
        String text = "SSN: " + ssn;

        // when
        var found = Found.in(text);

        // then
        assertThat(found).noneMatch(f -> f.startsWith("US_SSN"));
    }

    @Test
    void bare_nine_digits_are_an_ssn_only_with_context() {
        // given
        String withContext = "Her social security number is 536904399.";
        String without = "The parcel weighs 536904399 grams.";

        // when
        var found = Found.in(withContext);
        var notFound = Found.in(without);

        // then
        assertThat(found).containsExactly("US_SSN:536904399");
        assertThat(notFound).noneMatch(f -> f.startsWith("US_SSN"));
    }

    @Test
    void finds_itin_in_irs_ranges_only() {
        // given
        String valid = "ITIN 912-70-1234 on file";
        String invalidGroup = "ITIN 912-93-1234 on file";

        // when
        var found = Found.in(valid);
        var notFound = Found.in(invalidGroup);

        // then
        assertThat(found).containsExactly("US_ITIN:912-70-1234");
        assertThat(notFound).noneMatch(f -> f.startsWith("US_ITIN"));
    }

    @Test
    void routing_number_needs_its_checksum_and_context() {
        // given
        String valid = "Wire to routing number 021000021 please.";
        String badChecksum = "Wire to routing number 021000022 please.";
        String noContext = "The code 021000021 is printed on the box.";

        // when / then
        assertThat(Found.in(valid)).containsExactly("ABA_ROUTING_NUMBER:021000021");
        assertThat(Found.in(badChecksum)).noneMatch(f -> f.startsWith("ABA"));
        assertThat(Found.in(noContext)).noneMatch(f -> f.startsWith("ABA"));
    }

    @Test
    void bank_account_number_needs_context() {
        // given
        String withContext = "Deposit to checking account 000123456789.";
        String without = "We shipped 000123456789 units.";

        // when / then
        assertThat(Found.in(withContext)).containsExactly("US_BANK_NUMBER:000123456789");
        assertThat(Found.in(without)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "DE89370400440532013000",
                "DE89 3704 0044 0532 0130 00",
                "de89 3704 0044 0532 0130 00",
                "GB82 WEST 1234 5698 7654 32",
                "gb82west12345698765432",
                "FR14 2004 1010 0505 0001 3M02 606",
                "NL91ABNA0417164300",
                "CH93 0076 2011 6238 5295 7"
            })
    void finds_iban_compact_spaced_and_lower_case(String iban) {
        // given
        String text = "Pay into " + iban + ", thanks.";

        // when
        var found = Found.in(text);

        // then
        assertThat(found).containsExactly("IBAN_CODE:" + iban);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DE89370400440532013001", "DE8937040044053201300", "XX89370400440532013000"})
    void rejects_iban_with_bad_checksum_length_or_country(String iban) {
        // given
        String text = "IBAN " + iban;

        // when
        var found = Found.in(text);

        // then
        assertThat(found).noneMatch(f -> f.startsWith("IBAN"));
    }

    @Test
    void swift_code_needs_context() {
        // given
        String withContext = "SWIFT/BIC: DEUTDEFF500";
        String without = "The band ABSOLUTE played.";

        // when / then
        assertThat(Found.in(withContext)).containsExactly("SWIFT_BIC:DEUTDEFF500");
        assertThat(Found.in(without)).isEmpty();
    }

    @Test
    void finds_bitcoin_and_ethereum_addresses_by_checksum() {
        // given
        String text = "Send to 1BoatSLRHtKNngkdXEeobR76b53LETtpyT or bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
                + " or bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"
                + " or 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed.";

        // when
        var found = Found.in(text);

        // then
        assertThat(found)
                .containsExactly(
                        "CRYPTO:1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
                        "CRYPTO:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
                        "CRYPTO:bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
                        "CRYPTO:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    }

    @Test
    void rejects_crypto_addresses_with_a_broken_checksum() {
        // given: one character changed in each
        String text = "Send to 1BoatSLRHtKNngkdXEeobR76b53LETtpyU or bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"
                + " or 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD.";

        // when
        var found = Found.in(text);

        // then
        assertThat(found).isEmpty();
    }
}
