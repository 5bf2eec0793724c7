package dev.promptforge.pii.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded, deterministic generator of labeled synthetic text: templates (financial, health,
 * support, forms, negatives) filled with generated values, gold spans for the labeled slots.
 */
public final class CorpusGenerator {

    /** Which sentence templates to use. */
    public enum Templates {
        /** Templates used while developing the recognizers. */
        TUNING("/dev/promptforge/pii/corpus/templates-tuning.txt"),
        /** Templates never used while developing: the evaluation set. */
        HELD_OUT("/dev/promptforge/pii/corpus/templates-heldout.txt");

        final String resource;

        Templates(String resource) {
            this.resource = resource;
        }
    }

    /** Which person names to use. */
    public enum Names {
        /** Names in the gazetteers the recognizer ships with. */
        GAZETTEER("/dev/promptforge/pii/names-given.txt", "/dev/promptforge/pii/names-family.txt"),
        /** Held-out names used while developing (not in the gazetteers). */
        DEV("/dev/promptforge/pii/names-dev-given.txt", "/dev/promptforge/pii/names-dev-family.txt"),
        /** Held-out names used only to evaluate (not in the gazetteers). */
        TEST("/dev/promptforge/pii/names-test-given.txt", "/dev/promptforge/pii/names-test-family.txt");

        final String given;
        final String family;

        Names(String given, String family) {
            this.given = given;
            this.family = family;
        }
    }

    private final List<String> templates;
    private final List<String> prose;
    private final Values values;

    public CorpusGenerator(Templates templates, Names names, long seed) {
        this.templates = dev.promptforge.pii.corpus.Templates.lines(templates.resource);
        this.prose = dev.promptforge.pii.corpus.Templates.lines("/dev/promptforge/pii/corpus/prose.txt");
        this.values = new Values(
                new Random(seed),
                dev.promptforge.pii.corpus.Templates.lines(names.given),
                dev.promptforge.pii.corpus.Templates.lines(names.family));
    }

    /** {@code count} documents of one to three filled templates each. */
    public List<LabeledText> documents(int count) {
        List<LabeledText> documents = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int parts = values.between(1, 3);
            Builder builder = new Builder();
            for (int p = 0; p < parts; p++) {
                if (p > 0) {
                    // a sentence may follow on the same line; anything else starts a new line
                    char last = builder.text.charAt(builder.text.length() - 1);
                    boolean sentenceEnd = last == '.' || last == '!' || last == '?';
                    builder.text.append(sentenceEnd && values.chance(0.5) ? " " : "\n");
                }
                fill(values.pick(templates), builder);
            }
            documents.add(builder.build());
        }
        return documents;
    }

    /**
     * Prose of about {@code length} characters: sentences without personal data, with a filled template
     * every {@code templateEvery} sentences on average (0: never).
     */
    public LabeledText prose(int length, int templateEvery) {
        Builder builder = new Builder();
        while (builder.text.length() < length) {
            if (builder.text.length() > 0) {
                builder.text.append(values.chance(0.15) ? "\n\n" : " ");
            }
            if (templateEvery > 0 && values.between(1, templateEvery) == 1) {
                fill(values.pick(templates), builder);
            } else {
                builder.text.append(values.pick(prose));
            }
        }
        return builder.build();
    }

    private void fill(String template, Builder builder) {
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                builder.text.append(template, i, template.length());
                return;
            }
            builder.text.append(template, i, open);
            int close = template.indexOf('}', open);
            String slot = template.substring(open + 1, close);
            String variant = null;
            int colon = slot.indexOf(':');
            if (colon >= 0) {
                variant = slot.substring(colon + 1);
                slot = slot.substring(0, colon);
            }
            String value = value(slot, variant);
            int start = builder.text.length();
            builder.text.append(value);
            if (Character.isUpperCase(slot.charAt(0))) {
                builder.spans.add(new Span(slot, start, builder.text.length()));
            }
            i = close + 1;
        }
    }

    private String value(String slot, String variant) {
        return switch (slot) {
            case "PERSON" -> values.person(variant);
            case "EMAIL_ADDRESS" -> values.email();
            case "PHONE_NUMBER" -> values.phone();
            case "CREDIT_CARD" -> values.card(true);
            case "badcard" -> values.card(false);
            case "US_SSN" -> values.ssn("any".equals(variant));
            case "US_ITIN" -> values.itin();
            case "ABA_ROUTING_NUMBER" -> values.aba();
            case "US_BANK_NUMBER" -> values.bankAccount();
            case "IBAN_CODE" -> values.iban();
            case "SWIFT_BIC" -> values.swift();
            case "IP_ADDRESS" -> values.ip();
            case "URL" -> values.url();
            case "CRYPTO" -> values.crypto();
            case "DATE_TIME" -> values.birthDate();
            case "US_NPI" -> values.npi();
            case "MEDICAL_LICENSE" -> values.dea();
            case "US_PASSPORT" -> values.passport();
            case "US_DRIVER_LICENSE" -> values.driverLicense();
            case "LOCATION" -> values.address();
            case "order" -> values.order();
            case "version" -> values.version();
            case "price" -> values.price();
            case "timestamp" -> values.timestamp();
            case "date" -> values.date();
            case "time" -> values.time();
            case "ticket" -> values.ticket();
            case "tracking" -> values.tracking();
            case "invoice" -> values.invoice();
            case "count" -> values.count();
            case "last4" -> values.last4();
            case "expiry" -> values.expiry();
            case "plate" -> values.plate();
            case "company" -> values.company();
            case "city" -> values.city();
            case "domain" -> values.domain();
            default -> throw new IllegalArgumentException("unknown template slot {" + slot + "}");
        };
    }

    private static final class Builder {
        final StringBuilder text = new StringBuilder();
        final List<Span> spans = new ArrayList<>();

        LabeledText build() {
            return new LabeledText(text.toString(), spans);
        }
    }
}
