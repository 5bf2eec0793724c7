package dev.promptforge.pii;

// How a candidate earned its score; overlaps are resolved by tier first.
enum Tier {
    WEAK,
    CONTEXT,
    VALIDATED
}
