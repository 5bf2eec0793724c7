package dev.promptforge.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HealthRecognizersTest {

    @Test
    void date_is_a_birth_date_only_with_context() {
        // given
        String text = "DOB: 03/15/1984. Born on March 5, 1984 and seen 2024-03-15 for a check-up.";

        // when
        var found = Found.in(text);

        // then
        assertThat(found).containsExactly("DATE_TIME:03/15/1984", "DATE_TIME:March 5, 1984");
    }

    @Test
    void rejects_impossible_dates() {
        // given
        String text = "Date of birth: 02/30/1984";

        // when
        var found = Found.in(text);

        // then
        assertThat(found).isEmpty();
    }

    @Test
    void finds_npi_with_its_checksum_and_context() {
        // given
        String valid = "Billing provider NPI 1234567893.";
        String badChecksum = "Billing provider NPI 1234567890.";

        // when / then
        assertThat(Found.in(valid)).containsExactly("US_NPI:1234567893");
        assertThat(Found.in(badChecksum)).noneMatch(f -> f.startsWith("US_NPI"));
    }

    @Test
    void finds_dea_number_with_its_check_digit() {
        // given
        String valid = "Prescriber DEA number AB1234563.";
        String badCheck = "Prescriber DEA number AB1234564.";

        // when / then
        assertThat(Found.in(valid)).containsExactly("MEDICAL_LICENSE:AB1234563");
        assertThat(Found.in(badCheck)).noneMatch(f -> f.startsWith("MEDICAL_LICENSE"));
    }

    @Test
    void passport_and_driver_license_need_context() {
        // given
        String text = "Passport number 912803456 and driver's license D1234567.";
        String without = "Codes 912803456 and D1234567 were printed.";

        // when / then
        assertThat(Found.in(text)).containsExactly("US_PASSPORT:912803456", "US_DRIVER_LICENSE:D1234567");
        assertThat(Found.in(without)).isEmpty();
    }
}
