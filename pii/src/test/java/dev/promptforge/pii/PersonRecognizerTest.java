package dev.promptforge.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

// "Zorvan" and "Quillfeather" are in no gazetteer: these tests show the cues and shapes at work.
class PersonRecognizerTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Dear Ms. Quillfeather, thank you for your letter.|Quillfeather",
                "My name is Zorvan Quillfeather and I need help.|Zorvan Quillfeather",
                "Patient: Zorvan Quillfeather was admitted.|Zorvan Quillfeather",
                "The refund was approved for customer Zorvan.|Zorvan",
                "I spoke with Zorvan Quillfeather yesterday.|Zorvan Quillfeather",
                "Dr. van der Quill will see you now.|van der Quill",
                "We reviewed O'Quillfeather's account.|O'Quillfeather",
                "Jean-Zorvan McQuill signed the form.|Jean-Zorvan McQuill"
            })
    void finds_names_by_cue_and_shape_without_a_gazetteer(String text, String name) {
        // when
        var found = Found.in(text);

        // then
        assertThat(found).containsExactly("PERSON:" + name);
    }

    @Test
    void finds_the_name_of_a_signature_after_a_closing() {
        // given
        String text = "See you then.\nBest regards,\nZorvan Quillfeather";

        // when
        var found = Found.in(text);

        // then
        assertThat(found).containsExactly("PERSON:Zorvan Quillfeather");
    }

    @Test
    void finds_all_caps_and_last_comma_first_forms_after_a_cue() {
        // given
        String caps = "PATIENT NAME: ZORVAN QUILLFEATHER DOB 03/15/1984";
        String lastFirst = "Applicant: Quillfeather, Zorvan";

        // when / then
        assertThat(Found.in(caps)).containsExactly("PERSON:ZORVAN QUILLFEATHER", "DATE_TIME:03/15/1984");
        assertThat(Found.in(lastFirst)).containsExactly("PERSON:Quillfeather, Zorvan");
    }

    @Test
    void uses_the_gazetteers_for_names_without_cues() {
        // given: "Priya" is in names-given.txt, "Kowalski" in names-family.txt; no cue, sentence start
        String text = "Priya Kowalski filed the form.";
        String alone = "The form was filed by Priya yesterday.";

        // when / then
        assertThat(Found.in(text)).containsExactly("PERSON:Priya Kowalski");
        assertThat(Found.in(alone)).containsExactly("PERSON:Priya");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Please Contact Customer Support At Bank Of America.",
                "Our partner Atlas Logistics in Sydney agreed.",
                "The CEO reviewed the SSN and DOB fields with the IT team.",
                "Sent from my iPhone. Visa and Mastercard are accepted.",
                "The meeting on Monday in New York moved to March 10.",
                "Install Node.js and run the EMP-2231 job.",
                "All-caps notice: ACCOUNT SUSPENDED UNTIL FURTHER NOTICE"
            })
    void ignores_capitalized_words_that_are_not_people(String text) {
        // when
        var found = Found.in(text);

        // then
        assertThat(found).noneMatch(f -> f.startsWith("PERSON"));
    }
}
