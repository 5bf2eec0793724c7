package dev.promptforge.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContactRecognizersTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "+1 (415) 555-2671",
                "(415) 555-2671",
                "415-555-2671",
                "415.555.2671",
                "+44 20 7946 0958",
                "020 7946 0958",
                "+49 30 12345678",
                "030 1234 5678",
                "+33 1 42 68 53 00",
                "01 42 68 53 00",
                "+91 98765 43210",
                "098765 43210",
                "(11) 91234-5678",
                "+55 11 91234-5678",
                "+1 613 555 0199",
                "+61 2 9876 5432"
            })
    void finds_phone_numbers_of_many_countries(String phone) {
        // given
        String text = "You can reach me on " + phone + " after lunch.";

        // when
        var found = Found.in(text);

        // then
        assertThat(found).containsExactly("PHONE_NUMBER:" + phone);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "The job ran 2024-03-15 14:22:01 UTC.",
                "It costs $1,299.99 plus tax.",
                "Upgrade to version 10.4.2 now.",
                "Order #2125551234 has shipped.",
                "Tracking 1Z 999 AA1 0123 4567 84 attached."
            })
    void ignores_numbers_that_are_not_phones(String text) {
        // when
        var found = Found.in(text);

        // then
        assertThat(found).noneMatch(f -> f.startsWith("PHONE_NUMBER"));
    }

    @Test
    void bare_digit_run_is_a_phone_only_with_context() {
        // given
        String withContext = "Call me at 4155552671 tonight.";
        String without = "Reference value 4155552671 was logged.";

        // when / then
        assertThat(Found.in(withContext)).containsExactly("PHONE_NUMBER:4155552671");
        assertThat(Found.in(without)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jane.doe@example.com", "j.o'neil+tag@mail.example.co.uk", "X_Y-Z@sub-domain.example.org"})
    void finds_email_addresses(String email) {
        // given
        String text = "Write to <" + email + ">.";

        // when
        var found = Found.in(text);

        // then
        assertThat(found).containsExactly("EMAIL_ADDRESS:" + email);
    }

    @Test
    void ignores_at_signs_that_are_not_email() {
        // given
        String text = "Use icon@2x.png, ping @team, and meet at 5 @ noon; a@b is not one either.";

        // when
        var found = Found.in(text);

        // then
        assertThat(found).noneMatch(f -> f.startsWith("EMAIL"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "192.168.1.10",
                "8.8.8.8",
                "10.0.0.0/8",
                "2001:db8::ff00:42:8329",
                "fe80::1ff:fe23:4567:890a",
                "::1",
                "::ffff:192.0.2.128",
                "2001:0db8:85a3:0000:0000:8a2e:0370:7334"
            })
    void finds_ipv4_and_ipv6_addresses(String ip) {
        // given
        String text = "The request came from " + ip + " last night.";

        // when
        var found = Found.in(text);

        // then
        assertThat(found).containsExactly("IP_ADDRESS:" + ip);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Octet 256.1.1.1 is out of range.",
                "Release 1.2.3.4.5 is out.",
                "Meet at 12:30:45 sharp.",
                "MAC 00:1A:2B:3C:4D:5E is listed.",
                "Call std::vector::size now."
            })
    void ignores_things_that_look_like_addresses(String text) {
        // when
        var found = Found.in(text);

        // then
        assertThat(found).noneMatch(f -> f.startsWith("IP_ADDRESS"));
    }

    @Test
    void version_context_turns_a_dotted_quad_away() {
        // given
        String text = "Running version 1.2.3.4 today.";

        // when
        var found = Found.in(text);

        // then
        assertThat(found).isEmpty();
    }

    @Test
    void finds_urls_with_and_without_scheme() {
        // given
        String text = "See https://example.com/a?b=c. Or www.example.org, (http://x.example.net/p_(1)), and acme.io!";

        // when
        var found = Found.in(text);

        // then
        assertThat(found)
                .containsExactly(
                        "URL:https://example.com/a?b=c",
                        "URL:www.example.org",
                        "URL:http://x.example.net/p_(1)",
                        "URL:acme.io");
    }

    @Test
    void does_not_take_file_names_or_abbreviations_for_urls() {
        // given
        String text = "Install Node.js, e.g. with setup.sh, then open README.md.";

        // when
        var found = Found.in(text);

        // then
        assertThat(found).isEmpty();
    }
}
