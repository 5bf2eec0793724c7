package dev.promptforge.pii;

import java.util.Set;

/**
 * The entity type names of the built-in recognizers (Presidio's names). Ad-hoc recognizers may use
 * any other name made of upper-case letters, digits and underscores.
 */
public final class PiiTypes {

    public static final String CREDIT_CARD = "CREDIT_CARD";
    public static final String US_SSN = "US_SSN";
    public static final String US_ITIN = "US_ITIN";
    public static final String US_PASSPORT = "US_PASSPORT";
    public static final String US_BANK_NUMBER = "US_BANK_NUMBER";
    public static final String US_DRIVER_LICENSE = "US_DRIVER_LICENSE";
    public static final String ABA_ROUTING_NUMBER = "ABA_ROUTING_NUMBER";
    public static final String IBAN_CODE = "IBAN_CODE";
    public static final String SWIFT_BIC = "SWIFT_BIC";
    public static final String EMAIL_ADDRESS = "EMAIL_ADDRESS";
    public static final String PHONE_NUMBER = "PHONE_NUMBER";
    public static final String IP_ADDRESS = "IP_ADDRESS";
    public static final String URL = "URL";
    public static final String CRYPTO = "CRYPTO";
    public static final String DATE_TIME = "DATE_TIME";
    public static final String US_NPI = "US_NPI";
    public static final String MEDICAL_LICENSE = "MEDICAL_LICENSE";
    public static final String PERSON = "PERSON";
    public static final String LOCATION = "LOCATION";

    /** Every type above. */
    public static final Set<String> ALL = Set.of(
            CREDIT_CARD,
            US_SSN,
            US_ITIN,
            US_PASSPORT,
            US_BANK_NUMBER,
            US_DRIVER_LICENSE,
            ABA_ROUTING_NUMBER,
            IBAN_CODE,
            SWIFT_BIC,
            EMAIL_ADDRESS,
            PHONE_NUMBER,
            IP_ADDRESS,
            URL,
            CRYPTO,
            DATE_TIME,
            US_NPI,
            MEDICAL_LICENSE,
            PERSON,
            LOCATION);

    private PiiTypes() {}

    /**
     * Checks that {@code type} is a valid entity type name: upper-case ASCII letters, digits and
     * underscores, starting with a letter, at most 64 characters.
     *
     * @return {@code type}
     * @throws IllegalArgumentException if it is not
     */
    public static String requireValid(String type) {
        if (ALL.contains(type)) {
            return type;
        }
        if (type == null || type.isEmpty() || type.length() > 64) {
            throw new IllegalArgumentException("entity type must be 1 to 64 characters, got " + quote(type));
        }
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (i > 0 && ((c >= '0' && c <= '9') || c == '_'));
            if (!ok) {
                throw new IllegalArgumentException(
                        "entity type must be upper-case letters, digits and '_' starting with a letter, got "
                                + quote(type));
            }
        }
        return type;
    }

    private static String quote(String s) {
        return s == null ? "null" : "'" + s + "'";
    }
}
