package dev.promptforge.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressRecognizerTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1600 Amphitheatre Pkwy, Mountain View, CA 94043",
                "350 5th Ave, Suite 3400, New York, NY 10118-0110",
                "221B Baker Street, London NW1 6XE",
                "742 Evergreen Terrace, Springfield",
                "48 N Oak Lane, #12, Dayton, OH 45402",
                "Hauptstraße 5, 10115 Berlin",
                "12 rue de la Paix, 75002 Paris",
                "Calle Mayor 5, 28013 Madrid",
                "Rua Augusta, 123",
                "P.O. Box 1234, Austin, TX 78701"
            })
    void finds_street_addresses(String address) {
        // given
        String text = "Please send it to " + address + " by Friday.";

        // when
        var found = Found.in(text);

        // then
        assertThat(found).containsExactly("LOCATION:" + address);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"Born 5 March 1984 in the winter.", "We sold 3 green apples and 12 pears.", "Route 66 is long."})
    void ignores_numbers_before_words_that_are_not_streets(String text) {
        // when
        var found = Found.in(text);

        // then
        assertThat(found).noneMatch(f -> f.startsWith("LOCATION"));
    }
}
