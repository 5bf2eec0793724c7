package dev.promptforge.pii;

import java.util.List;

// The word lists of the PERSON recognizer, read once from the resource files.
final class Lexicon {

    static final List<String> GIVEN = WordSet.lines("names-given.txt");
    static final List<String> FAMILY = WordSet.lines("names-family.txt");
    static final List<String> COMMON = WordSet.lines("words-common.txt");
    static final List<String> PLACES = WordSet.lines("places.txt");

    private Lexicon() {}
}
