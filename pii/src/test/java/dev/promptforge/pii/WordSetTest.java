package dev.promptforge.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordSetTest {

    @Test
    void folds_case_and_accents_of_latin_letters() {
        assertThat(WordSet.fold("José")).isEqualTo("jose");
        assertThat(WordSet.fold("ŁUKASZ")).isEqualTo("lukasz");
        assertThat(WordSet.fold("Yıldırım")).isEqualTo("yildirim");
        assertThat(WordSet.fold("Müller-Lüdenscheidt")).isEqualTo("muller-ludenscheidt");
        assertThat(WordSet.fold("O’Brien")).isEqualTo("o'brien");
        assertThat(WordSet.fold("Straße")).isEqualTo("strase");
        assertThat(WordSet.fold("Ελένη")).isEqualTo("ελενη");
    }

    @Test
    void finds_tokens_of_a_scan_ignoring_case_and_accents() {
        // given
        WordSet set = WordSet.of(List.of("jose", "Müller", "o'brien"));
        Scan scan = new Scan("JOSÉ met MULLER and O’Brien, not Jos", null);

        // when / then
        assertThat(set.contains(scan, 0)).isTrue();
        assertThat(set.contains(scan, 2)).isTrue();
        assertThat(set.contains(scan, 4)).isTrue();
        assertThat(set.contains(scan, 6)).isFalse();
        assertThat(set.contains("jose")).isTrue();
    }
}
