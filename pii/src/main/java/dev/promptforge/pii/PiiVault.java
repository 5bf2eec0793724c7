package dev.promptforge.pii;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The originals behind the numbered placeholders of one request. {@link PiiAnonymizer} fills it
 * ({@link Operator#placeholder()}); {@link #restore} and {@link #streamingRestorer()} put the
 * originals back into the model's answer. One vault per request; it lives in memory only and is
 * thread-safe.
 *
 * <p>The same value gets the same placeholder everywhere in the request: card, phone and other
 * number types compare by their letters and digits ({@code 4111 1111 1111 1111} and
 * {@code 4111-1111-1111-1111} are one card), other types ignoring case and runs of blanks.
 */
public final class PiiVault {

    private final Map<String, String> placeholderByKey = new HashMap<>();
    private final Map<String, String> originalByPlaceholder = new HashMap<>();
    private final Map<String, Integer> counters = new HashMap<>();
    private final TreeSet<String> placeholders = new TreeSet<>();
    private int longest;

    private PiiVault() {}

    /** An empty vault. */
    public static PiiVault create() {
        return new PiiVault();
    }

    // The placeholder of (type, original), creating "<TYPE_n>" with a number not present in `avoid`.
    synchronized String placeholder(String type, String original, CharSequence avoid) {
        String key = type + '\u0000' + normalize(type, original);
        String existing = placeholderByKey.get(key);
        if (existing != null) {
            return existing;
        }
        String placeholder;
        int n = counters.getOrDefault(type, 0);
        do {
            n++;
            placeholder = "<" + type + "_" + n + ">";
        } while (contains(avoid, placeholder) || originalByPlaceholder.containsKey(placeholder));
        counters.put(type, n);
        placeholderByKey.put(key, placeholder);
        originalByPlaceholder.put(placeholder, original);
        placeholders.add(placeholder);
        longest = Math.max(longest, placeholder.length());
        return placeholder;
    }

    /** Replaces every placeholder of this vault in {@code text} by its original. */
    public String restore(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        restoreInto(text, 0, text.length(), out);
        return out.toString();
    }

    /**
     * A restorer for an answer that arrives in chunks: it emits restored text as soon as it is sure
     * no placeholder is cut, holding back only a tail that could still become one.
     */
    public StreamingRestorer streamingRestorer() {
        return new DefaultStreamingRestorer(this);
    }

    /** The number of distinct values held. */
    public synchronized int size() {
        return originalByPlaceholder.size();
    }

    synchronized void restoreInto(CharSequence text, int from, int to, StringBuilder out) {
        int i = from;
        while (i < to) {
            char c = text.charAt(i);
            if (c == '<' && !originalByPlaceholder.isEmpty()) {
                int close = -1;
                int limit = Math.min(to, i + longest);
                for (int j = i + 1; j < limit; j++) {
                    char d = text.charAt(j);
                    if (d == '>') {
                        close = j;
                        break;
                    }
                    if (!isPlaceholderChar(d)) {
                        break;
                    }
                }
                if (close > 0) {
                    String original = originalByPlaceholder.get(
                            text.subSequence(i, close + 1).toString());
                    if (original != null) {
                        out.append(original);
                        i = close + 1;
                        continue;
                    }
                }
            }
            out.append(c);
            i++;
        }
    }

    // Whether text[from, to) (starting with '<', no '>') is the start of some placeholder of this vault.
    synchronized boolean isPlaceholderPrefix(CharSequence text, int from, int to) {
        if (to - from >= longest) {
            return false;
        }
        String prefix = text.subSequence(from, to).toString();
        String ceiling = placeholders.ceiling(prefix);
        return ceiling != null && ceiling.startsWith(prefix);
    }

    private static boolean isPlaceholderChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static boolean contains(CharSequence haystack, String needle) {
        return haystack != null && haystack.toString().contains(needle);
    }

    private static String normalize(String type, String value) {
        if (isNumberLike(type)) {
            StringBuilder b = new StringBuilder(value.length());
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (Character.isLetterOrDigit(c)) {
                    b.append(Character.toUpperCase(c));
                }
            }
            if (b.length() > 0) {
                return b.toString();
            }
        }
        StringBuilder b = new StringBuilder(value.length());
        boolean blank = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isWhitespace(c)) {
                blank = b.length() > 0;
            } else {
                if (blank) {
                    b.append(' ');
                    blank = false;
                }
                b.append(c);
            }
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }

    private static boolean isNumberLike(String type) {
        return switch (type) {
            case PiiTypes.CREDIT_CARD,
                    PiiTypes.US_SSN,
                    PiiTypes.US_ITIN,
                    PiiTypes.US_PASSPORT,
                    PiiTypes.US_BANK_NUMBER,
                    PiiTypes.US_DRIVER_LICENSE,
                    PiiTypes.ABA_ROUTING_NUMBER,
                    PiiTypes.IBAN_CODE,
                    PiiTypes.SWIFT_BIC,
                    PiiTypes.PHONE_NUMBER,
                    PiiTypes.US_NPI,
                    PiiTypes.MEDICAL_LICENSE -> true;
            default -> false;
        };
    }
}
