package dev.promptforge.pii;

import java.util.List;
import java.util.Set;

/*
 * Person names without a statistical model. A candidate is a run of capitalized tokens (with
 * initials and particles such as "van", "de", "bin"); common words, places and titles split it.
 * Evidence, in order of weight: a cue right before it (a title "Dr.", "Dear", "my name is",
 * "patient:", a signature line after "Regards,"), given and family name gazetteers from many
 * cultures, two or more capitalized unknown words in mid-sentence, a cue verb after it ("said",
 * "wrote"). ALL-CAPS text and "Last, First" forms are handled; capitalization means nothing in
 * ALL-CAPS text, so there a cue or a gazetteer hit is required.
 */
final class PersonRecognizer extends ScanRecognizer {

    private static final List<String> TITLES = List.of(
            "mr",
            "mrs",
            "ms",
            "miss",
            "mx",
            "dr",
            "prof",
            "professor",
            "sir",
            "dame",
            "madam",
            "madame",
            "mme",
            "mlle",
            "herr",
            "frau",
            "sr",
            "sra",
            "srta",
            "señor",
            "señora",
            "senor",
            "senora",
            "dona",
            "rev",
            "reverend",
            "fr",
            "capt",
            "captain",
            "lt",
            "sgt",
            "officer",
            "judge",
            "justice",
            "hon",
            "atty",
            "mister",
            "messrs",
            "lady",
            "lord",
            "doctor",
            "nurse",
            "pastor",
            "rabbi",
            "imam",
            "dott");
    private static final List<String> PARTICLES = List.of(
            "van", "von", "de", "der", "den", "del", "della", "di", "da", "das", "dos", "du", "le", "la", "ter", "ten",
            "bin", "binti", "ibn", "al", "el", "ben", "bat", "y", "zu", "st");
    private static final List<String> SUFFIXES = List.of("jr", "sr", "ii", "iii", "iv");
    private static final List<String> CREDENTIALS =
            List.of("md", "phd", "rn", "dds", "dmd", "esq", "cpa", "np", "dnp", "mba", "jd", "lpn", "pharmd", "facs");
    // Words after which a capitalized run is an organization or a place, not a person.
    private static final List<String> ORG_OR_PLACE_AFTER = List.of(
            "inc",
            "corp",
            "corporation",
            "llc",
            "ltd",
            "plc",
            "gmbh",
            "co",
            "company",
            "bank",
            "hospital",
            "clinic",
            "university",
            "college",
            "school",
            "institute",
            "group",
            "foundation",
            "holdings",
            "partners",
            "associates",
            "capital",
            "insurance",
            "labs",
            "systems",
            "technologies",
            "pharmacy",
            "street",
            "st",
            "avenue",
            "ave",
            "road",
            "rd",
            "boulevard",
            "blvd",
            "ln",
            "drive",
            "ct",
            "center",
            "centre",
            "county",
            "city",
            "river",
            "lake",
            "mountain",
            "island",
            "airport",
            "station",
            "hotel",
            "mall",
            "building",
            "trust",
            "fund",
            "ventures",
            "consulting",
            "services",
            "solutions",
            "healthcare",
            "health",
            "medical",
            "motors",
            "airlines",
            "stadium",
            "cathedral",
            "museum",
            "library",
            "theater",
            "theatre",
            "restaurant",
            "cafe",
            "credit",
            "union",
            "mutual",
            "traders",
            "trading",
            "logistics",
            "software",
            "telecom",
            "energy",
            "pharma",
            "pharmaceuticals",
            "financial",
            "industries",
            "enterprises",
            "international",
            "global",
            "digital",
            "media",
            "studios",
            "analytics",
            "networks",
            "labs",
            "bancorp",
            "securities",
            "investments",
            "advisors",
            "lending",
            "payments",
            "partners",
            "law",
            "llp",
            "associates",
            "dental",
            "care");
    private static final List<String> STRONG_PHRASES = List.of(
            "my name is",
            "name is",
            "name",
            "full name",
            "named",
            "dear",
            "hi",
            "hello",
            "hey",
            "patient",
            "customer",
            "client",
            "member",
            "applicant",
            "cardholder",
            "card holder",
            "account holder",
            "policyholder",
            "policy holder",
            "insured",
            "claimant",
            "beneficiary",
            "employee",
            "signed",
            "signature",
            "attn",
            "attention",
            "i am",
            "i'm",
            "this is",
            "spouse",
            "wife",
            "husband",
            "son",
            "daughter",
            "mother",
            "father",
            "mom",
            "dad",
            "brother",
            "sister",
            "colleague",
            "manager",
            "agent",
            "representative",
            "physician",
            "nurse",
            "thanks",
            "thank you",
            "regards",
            "sincerely",
            "cheers",
            "guarantor",
            "tenant",
            "landlord",
            "borrower",
            "cosigner",
            "witness",
            "caller",
            "recipient",
            "sender",
            "passenger",
            "subscriber",
            "resident",
            "student",
            "grandson",
            "granddaughter",
            "grandmother",
            "grandfather",
            "uncle",
            "aunt",
            "nephew",
            "niece",
            "cousin",
            "fiancé",
            "fiancee",
            "boss",
            "supervisor",
            "coworker",
            "roommate",
            "neighbor",
            "neighbour",
            "friend");
    private static final Context STRONG_BEFORE = Context.of(0, 0, STRONG_PHRASES);
    // Cues that count only with a colon: "From: ...", "Prepared by: ...".
    private static final List<String> HEADER_PHRASES = List.of(
            "from",
            "to",
            "by",
            "cc",
            "prepared by",
            "approved by",
            "reviewed by",
            "submitted by",
            "requested by",
            "assigned to",
            "owner",
            "contact",
            "author",
            "provider",
            "doctor",
            "referred by",
            "emergency contact",
            "next of kin",
            "guardian",
            "payee",
            "insured",
            "subscriber");
    private static final Context HEADER_BEFORE = Context.of(0, 0, HEADER_PHRASES);
    private static final List<String> WEAK_PHRASES = List.of(
            "with",
            "by",
            "and",
            "to",
            "from",
            "for",
            "call",
            "email",
            "ask",
            "tell",
            "contact",
            "met",
            "told",
            "asked",
            "about",
            "spoke",
            "meet",
            "saw",
            "thank",
            "welcome",
            "introducing",
            "invite",
            "invited",
            "hired",
            "paid",
            "visited",
            "according to",
            "cc");
    private static final Context WEAK_BEFORE = Context.of(0, 0, WEAK_PHRASES);
    private static final List<String> AFTER_PHRASES = List.of(
            "said",
            "says",
            "wrote",
            "writes",
            "asked",
            "replied",
            "confirmed",
            "mentioned",
            "reported",
            "signed",
            "agreed",
            "explained",
            "noted",
            "called",
            "emailed",
            "visited",
            "complained",
            "requested",
            "told",
            "thinks",
            "thought",
            "joined",
            "works",
            "lives",
            "paid",
            "sent",
            "received",
            "was born",
            "from",
            "is allergic",
            "will call");
    private static final Context WEAK_AFTER = Context.of(0, 0, AFTER_PHRASES);
    // Words never taken into a name, even capitalized next to one.
    private static final List<String> STOP = List.of(
            "the",
            "a",
            "an",
            "and",
            "or",
            "but",
            "of",
            "to",
            "in",
            "on",
            "at",
            "for",
            "with",
            "from",
            "by",
            "about",
            "as",
            "is",
            "are",
            "was",
            "were",
            "be",
            "been",
            "has",
            "have",
            "had",
            "do",
            "does",
            "did",
            "not",
            "no",
            "yes",
            "this",
            "that",
            "these",
            "those",
            "my",
            "your",
            "our",
            "their",
            "his",
            "her",
            "its",
            "we",
            "they",
            "it",
            "you",
            "i",
            "please",
            "thanks",
            "thank",
            "dear",
            "hi",
            "hello",
            "hey",
            "regards",
            "sincerely",
            "cheers",
            "best",
            "kind",
            "re",
            "fw",
            "fwd",
            "subject",
            "attn",
            "cc",
            "patient",
            "customer",
            "client",
            "member",
            "account",
            "card",
            "bank",
            "team",
            "support",
            "service",
            "services",
            "department",
            "office",
            "group",
            "company",
            "new",
            "old",
            "north",
            "south",
            "east",
            "west",
            "street",
            "avenue",
            "road",
            "name",
            "date",
            "birth",
            "dob",
            "phone",
            "email",
            "address",
            "call",
            "contact",
            "note",
            "notes",
            "order",
            "invoice",
            "ticket",
            "today",
            "tomorrow",
            "yesterday",
            "all",
            "any",
            "some",
            "every",
            "each",
            "other",
            "if",
            "when",
            "then",
            "so",
            "just",
            "only",
            "also",
            "very",
            "more",
            "most",
            "here",
            "there",
            "what",
            "who",
            "how",
            "why",
            "where",
            "which",
            "can",
            "could",
            "would",
            "should",
            "must",
            "shall",
            "our",
            "us",
            "them",
            "me",
            "him",
            "she",
            "he's",
            "let",
            "see",
            "get",
            "got",
            "make",
            "per",
            "via",
            "vs",
            "ask",
            "tell",
            "send",
            "email",
            "meet",
            "invite",
            "welcome",
            "congratulations",
            "remind",
            "give",
            "visit",
            "forward",
            "reply",
            "notify",
            "inform",
            "update",
            "ping",
            "text",
            "message",
            "new",
            "hire",
            "dear",
            "good",
            "morning",
            "afternoon",
            "evening",
            "happy",
            "birthday",
            "congrats",
            "sorry",
            "ok",
            "okay");
    private static final List<String> PLACE_PREPOSITIONS = List.of("in", "near", "at", "across", "around");
    private static final List<String> CLOSINGS = List.of(
            "regards",
            "sincerely",
            "thanks",
            "cheers",
            "best",
            "truly",
            "faithfully",
            "respectfully",
            "warmly",
            "wishes",
            "care",
            "you",
            "soon");

    // One lookup per token tells every list it is in.
    private static final int GIVEN = 1;
    private static final int FAMILY = 1 << 1;
    private static final int COMMON = 1 << 2;
    private static final int PLACE = 1 << 3;
    private static final int TITLE = 1 << 4;
    private static final int SUFFIX = 1 << 5;
    private static final int ORG = 1 << 6;
    private static final int STOPWORD = 1 << 7;
    private static final int PARTICLE = 1 << 8;
    private static final int CREDENTIAL = 1 << 9;
    private static final int CLOSING = 1 << 10;
    private static final int PLACE_PREPOSITION = 1 << 11;
    private static final int MONTH = 1 << 12;
    // the token ends a cue phrase of that kind (before a name) or starts one (after a name)
    private static final int STRONG_END = 1 << 13;
    private static final int HEADER_END = 1 << 14;
    private static final int WEAK_END = 1 << 15;
    private static final int AFTER_START = 1 << 16;
    private static final int NAME = GIVEN | FAMILY;

    // Built on first use, after every list of this class is initialized.
    private static final class Words {
        static final WordSet MAP = words();
    }

    private static WordSet words() {
        java.util.Map<String, Integer> map = new java.util.HashMap<>();
        add(map, Lexicon.GIVEN, GIVEN);
        add(map, Lexicon.FAMILY, FAMILY);
        add(map, Lexicon.COMMON, COMMON);
        add(map, Lexicon.PLACES, PLACE);
        add(map, TITLES, TITLE);
        add(map, SUFFIXES, SUFFIX);
        add(map, ORG_OR_PLACE_AFTER, ORG);
        add(map, STOP, STOPWORD);
        add(map, PARTICLES, PARTICLE);
        add(map, CREDENTIALS, CREDENTIAL);
        add(map, CLOSINGS, CLOSING);
        add(map, PLACE_PREPOSITIONS, PLACE_PREPOSITION);
        add(map, MONTHS, MONTH);
        addPhraseWords(map, STRONG_PHRASES, STRONG_END, true);
        addPhraseWords(map, HEADER_PHRASES, HEADER_END, true);
        addPhraseWords(map, WEAK_PHRASES, WEAK_END, true);
        addPhraseWords(map, AFTER_PHRASES, AFTER_START, false);
        return WordSet.ofBits(map);
    }

    private static void addPhraseWords(
            java.util.Map<String, Integer> map, List<String> phrases, int bit, boolean last) {
        for (String phrase : phrases) {
            Scan scan = new Scan(phrase, null);
            int t = last ? scan.count - 1 : 0;
            map.merge(WordSet.fold(phrase.substring(scan.start[t], scan.end[t])), bit, (a, b) -> a | b);
        }
    }

    private static void add(java.util.Map<String, Integer> map, List<String> words, int bit) {
        for (String word : words) {
            map.merge(WordSet.fold(word), bit, (a, b) -> a | b);
        }
    }

    // The list bits of token t, memoized per analysis.
    private static int bits(Scan scan, int t) {
        int[] cache = scan.personBits;
        if (cache == null) {
            cache = scan.personBits = new int[scan.count];
        }
        int b = cache[t];
        if (b == 0) {
            b = Words.MAP.get(scan, t) | Integer.MIN_VALUE;
            cache[t] = b;
        }
        return b;
    }

    private static boolean is(Scan scan, int t, int bit) {
        return (bits(scan, t) & bit) != 0;
    }

    // The bits of token t without a possessive "'s".
    private static int nameBits(Scan scan, int t) {
        int e = nameEnd(scan, t);
        return e == scan.end[t] ? bits(scan, t) : Words.MAP.get(scan.text, scan.start[t], e);
    }

    PersonRecognizer() {
        super("person", Set.of(PiiTypes.PERSON));
    }

    @Override
    void scan(Scan scan, Sink sink) {
        int n = scan.count;
        int[] run = new int[16];
        int resume = 0;
        for (int m = 0; m < scan.markCount; m++) {
            int t = scan.marks[m];
            if (t < resume) {
                continue;
            }
            scan.tick();
            if (!startsRun(scan, t)) {
                continue;
            }
            boolean caps = scan.has(t, Scan.ALL_UPPER) && scan.len(t) > 1;
            int size = 0;
            int k = t;
            while (k < n && size < run.length) {
                if (!(member(scan, k, caps) || (size > 0 && particle(scan, k, caps)))) {
                    break;
                }
                run[size++] = k;
                if (k + 1 >= n || !joins(scan, k)) {
                    k++;
                    break;
                }
                k++;
            }
            // drop trailing particles
            while (size > 0 && particle(scan, run[size - 1], caps)) {
                size--;
            }
            if (size > 0) {
                segments(scan, sink, run, size, caps);
            }
            resume = Math.max(t + 1, k);
        }
    }

    private static boolean startsRun(Scan scan, int t) {
        return scan.kind[t] == Scan.ALPHA && scan.has(t, Scan.UPPER_INITIAL);
    }

    private static boolean member(Scan scan, int t, boolean caps) {
        if (scan.kind[t] != Scan.ALPHA || !scan.has(t, Scan.UPPER_INITIAL) || identifierPart(scan, t)) {
            return false;
        }
        if (scan.len(t) == 1) {
            return true; // an initial
        }
        boolean allUpper = scan.has(t, Scan.ALL_UPPER);
        return caps ? allUpper : !allUpper;
    }

    // "Node.js", "EMP-123456", "System.out", "@Team": a piece of an identifier, not a word.
    private static boolean identifierPart(Scan scan, int t) {
        int s = scan.start[t];
        int e = scan.end[t];
        char before = scan.charAt(s - 1);
        char after = scan.charAt(e);
        boolean glueAfter = (after == '.' || after == '-' || after == '_' || after == '@' || after == '/')
                && Scan.isLetterOrDigit(scan.charAt(e + 1));
        boolean glueBefore = (before == '.' || before == '_' || before == '@' || before == '/' || before == '#')
                && Scan.isLetterOrDigit(scan.charAt(s - 2));
        return glueAfter || glueBefore || before == '@' || before == '#';
    }

    private static boolean particle(Scan scan, int t, boolean caps) {
        if (scan.kind[t] != Scan.ALPHA || scan.len(t) > 6 || (!caps && scan.has(t, Scan.UPPER_INITIAL))) {
            return false;
        }
        return is(scan, t, PARTICLE);
    }

    // Whether token t is followed by a gap that keeps a name together.
    private static boolean joins(Scan scan, int t) {
        if (scan.gapIs(t, " ")) {
            return true;
        }
        // "J. R. Smith", "J.R. Smith", "Dr. Smith"
        boolean abbreviation = scan.len(t) == 1 || is(scan, t, TITLE);
        return abbreviation && (scan.gapIs(t, ". ") || scan.gapIs(t, "."));
    }

    private enum Kind {
        NAME,
        INITIAL,
        PARTICLE,
        BREAK
    }

    private void segments(Scan scan, Sink sink, int[] run, int size, boolean caps) {
        int i = 0;
        while (i < size) {
            // skip tokens that cannot be part of a name
            while (i < size && kind(scan, run[i], caps) == Kind.BREAK && !afterTitle(scan, run[i], caps)) {
                i++;
            }
            int first = i;
            while (i < size
                    && (kind(scan, run[i], caps) != Kind.BREAK || (i == first && afterTitle(scan, run[i], caps)))) {
                i++;
            }
            int last = i - 1;
            while (last >= first && kind(scan, run[last], caps) == Kind.PARTICLE) {
                last--;
            }
            // leading particles stay after a title ("Dr. van der Berg"), else they are ordinary words
            boolean afterTitle = first > 0 && is(scan, run[first - 1], TITLE);
            while (!afterTitle && first <= last && kind(scan, run[first], caps) == Kind.PARTICLE) {
                first++;
            }
            if (first > last) {
                // "Contact: Oh, Halima": a lone common word can still be a surname in "Last, First"
                int t = run[first - 1 < 0 ? 0 : Math.min(i, size) - 1];
                if (size == 1
                        && absorbable(scan, t)
                        && t + 1 < scan.count
                        && scan.gapIs(t, ", ")
                        && cueBefore(scan, t) == STRONG) {
                    score(scan, sink, run, 0, 0, caps);
                }
                continue;
            }
            // a capitalized common word right next to a name is part of it: "Louise Lane", "Jun Woods"
            if (!caps
                    && first > 0
                    && absorbable(scan, run[first - 1])
                    && kind(scan, run[first - 1], caps) == Kind.BREAK
                    && !afterTitle) {
                first--;
            }
            if (!caps
                    && last + 1 < size
                    && absorbable(scan, run[last + 1])
                    && kind(scan, run[last + 1], caps) == Kind.BREAK) {
                last++;
                i = Math.max(i, last + 1);
            }
            score(scan, sink, run, first, last, caps);
        }
    }

    private static boolean absorbable(Scan scan, int t) {
        int s = scan.start[t];
        int e = scan.end[t];
        return e - s >= 2
                && e - s <= 7
                && (bits(scan, t) & (COMMON | STOPWORD | TITLE | ORG)) == COMMON
                && nameShaped(scan, t, s, e);
    }

    // "Mrs. Young", "Dr. Sun": right after a title, a capitalized common word is a surname.
    private static boolean afterTitle(Scan scan, int t, boolean caps) {
        if (t == 0 || scan.len(t) < 2 || (!caps && !nameShaped(scan, t, scan.start[t], scan.end[t]))) {
            return false;
        }
        int prev = t - 1;
        return (scan.gapIs(prev, " ") || scan.gapIs(prev, ". "))
                && is(scan, prev, TITLE)
                && !is(scan, t, TITLE | STOPWORD);
    }

    private static final Kind[] KINDS = Kind.values();

    // Memoized per analysis: a token's kind is asked for several times.
    private static Kind kind(Scan scan, int t, boolean caps) {
        byte[] cache = scan.personKinds;
        if (cache == null) {
            cache = scan.personKinds = new byte[scan.count];
        }
        int shift = caps ? 4 : 0;
        int memo = (cache[t] >> shift) & 0xF;
        if (memo != 0) {
            return KINDS[memo - 1];
        }
        Kind kind = computeKind(scan, t, caps);
        cache[t] |= (byte) ((kind.ordinal() + 1) << shift);
        return kind;
    }

    private static Kind computeKind(Scan scan, int t, boolean caps) {
        if (particle(scan, t, caps)) {
            return Kind.PARTICLE;
        }
        int s = scan.start[t];
        int e = nameEnd(scan, t);
        if (e - s == 1) {
            return Kind.INITIAL;
        }
        int b = nameBits(scan, t);
        if ((b & (TITLE | SUFFIX)) != 0) {
            return Kind.BREAK;
        }
        if ((b & NAME) == 0 && (b & (COMMON | PLACE | ORG)) != 0) {
            return Kind.BREAK;
        }
        if (!caps && !nameShaped(scan, t, s, e)) {
            return Kind.BREAK;
        }
        return Kind.NAME;
    }

    // The end of a token without a possessive "'s".
    private static int nameEnd(Scan scan, int t) {
        int e = scan.end[t];
        char[] text = scan.chars;
        if (e - scan.start[t] > 3 && (text[e - 1] == 's' || text[e - 1] == 'S')) {
            char apostrophe = text[e - 2];
            if (apostrophe == '\'' || apostrophe == '\u2019') {
                return e - 2;
            }
        }
        return e;
    }

    // nameShaped for token t, quick when the tokenizer saw no capital after the first letter.
    private static boolean nameShaped(Scan scan, int t, int s, int e) {
        return scan.has(t, Scan.REST_LOWER) || nameShaped(scan.text, s, e);
    }

    // Capital then lower case, allowing McX, MacX, O'X, D'X, DeX, LaX, DiX, van-style joins and hyphens.
    static boolean nameShaped(String text, int s, int e) {
        for (int i = s + 1; i < e; i++) {
            char c = text.charAt(i);
            if (!Scan.isUpper(c)) {
                continue;
            }
            char prev = text.charAt(i - 1);
            if (prev == '\'' || prev == '\u2019' || prev == '-') {
                continue;
            }
            int offset = i - s;
            if ((offset == 2 || offset == 3) && isNamePrefix(text, s, i)) {
                continue;
            }
            return false;
        }
        return true;
    }

    private static boolean isNamePrefix(String text, int s, int i) {
        String prefix = text.substring(s, i);
        return switch (prefix) {
            case "Mc", "Mac", "De", "Di", "La", "Le", "Da", "Du", "Van", "Von", "St", "Fitz" -> true;
            default -> false;
        };
    }

    private void score(Scan scan, Sink sink, int[] run, int first, int last, boolean caps) {
        String text = scan.text;
        int firstToken = run[first];
        int lastToken = run[last];
        int names = 0;
        int known = 0;
        boolean firstGiven = false;
        boolean lastFamily = false;
        boolean ambiguousOnly = true;
        for (int i = first; i <= last; i++) {
            int t = run[i];
            Kind kind = kind(scan, t, caps);
            if (kind == Kind.PARTICLE || kind == Kind.INITIAL) {
                continue;
            }
            names++;
            int s = scan.start[t];
            int e = nameEnd(scan, t);
            int b = nameBits(scan, t);
            boolean given = (b & GIVEN) != 0;
            boolean family = (b & FAMILY) != 0;
            boolean ambiguous = kind == Kind.BREAK || (b & (COMMON | PLACE)) != 0;
            if (!ambiguous) {
                ambiguousOnly = false;
            }
            if ((given || family) && !ambiguous) {
                known++;
            }
            if (i == first && given && !ambiguous) {
                firstGiven = true;
            }
            if (t == lastToken && family && !ambiguous) {
                lastFamily = true;
            }
        }
        if (names == 0) {
            return;
        }
        int start = scan.start[firstToken];
        int end = nameEnd(scan, lastToken);

        // "Last, First": merge a single token with the name that follows its comma
        int cue = cueBefore(scan, firstToken);
        if (names == 1 && first == last && lastToken + 1 < scan.count && scan.gapIs(lastToken, ", ")) {
            int next = lastToken + 1;
            boolean nameNext = kind(scan, next, caps) == Kind.NAME
                    || (cue == STRONG
                            && (caps || nameShaped(text, scan.start[next], scan.end[next]))
                            && scan.len(next) > 1
                            && !is(scan, next, STOPWORD));
            if (member(scan, next, caps) && nameNext) {
                int nextEnd = next;
                while (nextEnd + 1 < scan.count
                        && scan.gapIs(nextEnd, " ")
                        && member(scan, nextEnd + 1, caps)
                        && kind(scan, nextEnd + 1, caps) != Kind.BREAK
                        && nextEnd - next < 1) {
                    nextEnd++;
                }
                int ns = scan.start[next];
                int ne = nameEnd(scan, next);
                boolean lastThenGiven =
                        (nameBits(scan, firstToken) & FAMILY) != 0 && (nameBits(scan, next) & GIVEN) != 0;
                boolean plainPair = cue == WEAK
                        && kind(scan, firstToken, caps) == Kind.NAME
                        && !ambiguousOnly
                        && kind(scan, next, caps) == Kind.NAME
                        && !listContinues(scan, nextEnd);
                if (cue == STRONG || lastThenGiven || plainPair) {
                    if (!orgOrPlaceAfter(scan, nextEnd)) {
                        add(scan, sink, start, nameEnd(scan, nextEnd), cue == STRONG ? 0.9 : 0.85, cue == STRONG);
                    }
                    return;
                }
            }
        }
        if (orgOrPlaceAfter(scan, lastToken) || (names >= 2 && is(scan, lastToken, ORG))) {
            return;
        }
        if (names == 1
                && month(scan, firstToken)
                && lastToken + 1 < scan.count
                && scan.kind[lastToken + 1] == Scan.NUM
                && scan.gapIs(lastToken, " ")) {
            return; // "May 10"
        }
        if (names == 1
                && known == 0
                && cue != STRONG
                && firstToken > 0
                && is(scan, firstToken - 1, PLACE_PREPOSITION)
                && scan.gapIs(firstToken - 1, " ")) {
            return; // "in Sydney"
        }
        if (names == 1 && known == 0 && cue != STRONG && capitalizedWordAfter(scan, lastToken)) {
            return; // "Orion Medical Center", "Keystone Mutual": a name of a thing
        }
        if (cue != STRONG && credentialAfter(scan, lastToken)) {
            cue = STRONG;
        }
        if (cue != STRONG && signatureLine(scan, firstToken)) {
            cue = STRONG;
        }
        boolean weakCue = cue == WEAK || weakAfter(scan, firstToken, lastToken);
        boolean sentenceStart = sentenceStart(scan, firstToken);

        double score;
        if (cue == STRONG) {
            score = ambiguousOnly && names == 1 ? 0.6 : 0.9;
        } else if (caps) {
            if (names >= 2 && known >= 1) {
                score = 0.8;
            } else if (names == 1 && firstGiven && weakCue) {
                score = 0.55;
            } else {
                return;
            }
        } else if (names >= 2) {
            if (firstGiven || lastFamily) {
                score = 0.85;
            } else if (known >= 1) {
                score = 0.75;
            } else if (ambiguousOnly) {
                score = weakCue ? 0.55 : 0.3;
            } else if (!sentenceStart) {
                score = 0.7;
            } else {
                score = weakCue ? 0.7 : 0.55;
            }
        } else if (ambiguousOnly) {
            score = weakCue && !sentenceStart ? 0.4 : 0.2;
        } else if (firstGiven) {
            score = sentenceStart ? 0.55 : 0.6;
            if (weakCue) {
                score += 0.15;
            }
        } else if (known >= 1) {
            score = (sentenceStart ? 0.35 : 0.5) + (weakCue ? 0.15 : 0);
        } else if (sentenceStart) {
            score = weakAfter(scan, firstToken, lastToken) ? 0.5 : 0.2;
        } else {
            score = 0.4 + (weakCue ? 0.15 : 0);
        }
        add(scan, sink, start, end, score, cue == STRONG);
    }

    private void add(Scan scan, Sink sink, int start, int end, double score, boolean context) {
        sink.add(PiiTypes.PERSON, start, end, score, context ? Tier.CONTEXT : Tier.WEAK, name(), null, false);
    }

    private static final int NONE = 0;
    private static final int WEAK = 1;
    private static final int STRONG = 2;

    private static int cueBefore(Scan scan, int t) {
        if (t == 0) {
            return NONE;
        }
        int prev = t - 1;
        // a title right before: "Dr. ", "Mrs "
        if (is(scan, prev, TITLE) && (scan.gapIs(prev, " ") || scan.gapIs(prev, ". "))) {
            return STRONG;
        }
        int cues = bits(scan, prev);
        if ((cues & STRONG_END) != 0 && STRONG_BEFORE.endsAt(scan, prev) && gapAllowsCue(scan, prev)) {
            return STRONG;
        }
        if ((cues & HEADER_END) != 0 && HEADER_BEFORE.endsAt(scan, prev) && gapHasColon(scan, prev)) {
            return STRONG;
        }
        if ((cues & WEAK_END) != 0 && WEAK_BEFORE.endsAt(scan, prev) && scan.gapIs(prev, " ")) {
            return WEAK;
        }
        return NONE;
    }

    // "Dear Ann", "Patient: Ann", "Customer - Ann", "name is Ann", but not across a sentence.
    private static boolean gapAllowsCue(Scan scan, int prev) {
        int s = scan.end[prev];
        int e = scan.start[prev + 1];
        if (e - s > 4) {
            return false;
        }
        for (int i = s; i < e; i++) {
            char c = scan.text.charAt(i);
            if (!(c == ' ' || c == ':' || c == ',' || c == '-' || c == '\t' || c == '\n' || c == '\r' || c == '#')) {
                return false;
            }
        }
        return true;
    }

    private static boolean gapHasColon(Scan scan, int prev) {
        int s = scan.end[prev];
        int e = scan.start[prev + 1];
        return e - s <= 4 && scan.text.substring(s, e).indexOf(':') >= 0;
    }

    private static boolean weakAfter(Scan scan, int first, int last) {
        int end = scan.end[last];
        if (nameEnd(scan, last) != end) {
            return true; // possessive
        }
        if (last + 1 < scan.count && !scan.gapIs(last, " ")) {
            return false;
        }
        return last + 1 < scan.count && is(scan, last + 1, AFTER_START) && WEAK_AFTER.startsAt(scan, last + 1);
    }

    private static boolean credentialAfter(Scan scan, int last) {
        if (last + 1 >= scan.count || !scan.gapIs(last, ", ")) {
            return false;
        }
        int next = last + 1;
        int ws = scan.start[next];
        int we = scan.end[next];
        if (we - ws == 1 && (scan.text.charAt(ws) == 'M' || scan.text.charAt(ws) == 'm') && scan.charAt(we) == '.') {
            return true; // M.D.
        }
        return is(scan, next, CREDENTIAL | SUFFIX);
    }

    private static boolean orgOrPlaceAfter(Scan scan, int last) {
        if (last + 1 >= scan.count) {
            return false;
        }
        int next = last + 1;
        if (!(scan.gapIs(last, " ") || scan.gapIs(last, "-") || scan.gapIs(last, " & "))) {
            return false;
        }
        return is(scan, next, ORG) && scan.has(next, Scan.UPPER_INITIAL);
    }

    // "Alice, Bob and Carol" or "Alice, Bob, Carol": a list, not "Last, First".
    private static boolean listContinues(Scan scan, int t) {
        if (t + 1 >= scan.count) {
            return false;
        }
        return scan.gapIs(t, ", ") && scan.has(t + 1, Scan.UPPER_INITIAL)
                || scan.gapIs(t, " ") && scan.is(t + 1, "and");
    }

    private static final List<String> MONTHS = List.of(
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
            "jan",
            "feb",
            "mar",
            "apr",
            "jun",
            "jul",
            "aug",
            "sep",
            "sept",
            "oct",
            "nov",
            "dec");

    private static boolean month(Scan scan, int t) {
        return is(scan, t, MONTH);
    }

    private static boolean capitalizedWordAfter(Scan scan, int last) {
        int next = last + 1;
        return next < scan.count
                && scan.gapIs(last, " ")
                && scan.kind[next] == Scan.ALPHA
                && scan.has(next, Scan.UPPER_INITIAL)
                && scan.len(next) > 1
                && is(scan, next, COMMON);
    }

    // The name starts a line right after a closing such as "Best regards," or "Thanks!".
    private static boolean signatureLine(Scan scan, int t) {
        if (t == 0) {
            return false;
        }
        int prev = t - 1;
        int s = scan.end[prev];
        int e = scan.start[t];
        String text = scan.text;
        int newline = -1;
        for (int i = s; i < e; i++) {
            if (text.charAt(i) == '\n') {
                newline = i;
                break;
            }
        }
        if (newline < 0) {
            return false;
        }
        for (int i = s; i < newline; i++) {
            char c = text.charAt(i);
            if (!(c == ',' || c == '!' || c == '.' || c == ' ' || c == '\r')) {
                return false;
            }
        }
        return is(scan, prev, CLOSING);
    }

    // Whether token t begins a sentence, a line or a field, so its capital says nothing.
    static boolean sentenceStart(Scan scan, int t) {
        String text = scan.text;
        int i = scan.start[t] - 1;
        while (i >= 0) {
            char c = text.charAt(i);
            if (c == '\n') {
                return true;
            }
            if (c == ' '
                    || c == '\t'
                    || c == '"'
                    || c == '\u201c'
                    || c == '('
                    || c == '\''
                    || c == '*'
                    || c == '-'
                    || c == '\u2022'
                    || c == '>') {
                i--;
                continue;
            }
            return c == '.' || c == '!' || c == '?' || c == ':' || c == ';';
        }
        return true;
    }
}
