package dev.promptforge.pii;

// The word lists the PERSON and LOCATION recognizers share, loaded once.
final class Lexicon {

    static final WordSet GIVEN = WordSet.load("names-given.txt");
    static final WordSet FAMILY = WordSet.load("names-family.txt");
    static final WordSet COMMON = WordSet.load("words-common.txt");
    static final WordSet PLACES = WordSet.load("places.txt");

    private Lexicon() {}
}
