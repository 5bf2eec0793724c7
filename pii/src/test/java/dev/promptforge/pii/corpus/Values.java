package dev.promptforge.pii.corpus;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Realistic values for every slot of a template, in many formats. Checksummed identifiers are
 * generated valid (Luhn, mod-97, 3-7-1, base58check, bech32); "bad" ones fail on purpose.
 */
final class Values {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final String[] PHONE_REGIONS = {
        "US", "US", "US", "US", "US", "US", "US", "GB", "GB", "DE", "DE", "FR", "FR", "IN", "IN", "CA", "BR", "BR",
        "AU", "ES", "IT", "NL", "MX"
    };
    private static final String[] MONTHS = {
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December"
    };
    private static final String[] STREETS = {
        "Oak",
        "Maple",
        "Main",
        "Elm",
        "Cedar",
        "Pine",
        "Washington",
        "Lake",
        "Hill",
        "Park",
        "Sunset",
        "Highland",
        "Forest",
        "River",
        "Church",
        "Mill",
        "Spring",
        "Meadow",
        "Willow",
        "Chestnut",
        "Franklin",
        "Jefferson",
        "Lincoln",
        "Madison",
        "Cherry",
        "Walnut",
        "Birch",
        "Valley",
        "Ridge",
        "Harbor",
        "Orchard",
        "Prospect"
    };
    private static final String[] SUFFIXES = {
        "Street",
        "St",
        "Avenue",
        "Ave",
        "Road",
        "Rd",
        "Boulevard",
        "Blvd",
        "Lane",
        "Ln",
        "Drive",
        "Dr",
        "Court",
        "Way",
        "Place",
        "Terrace",
        "Parkway"
    };
    private static final String[][] US_CITIES = {
        {"Springfield", "IL", "62704"},
        {"Austin", "TX", "78701"},
        {"Denver", "CO", "80202"},
        {"Portland", "OR", "97205"},
        {"Columbus", "OH", "43215"},
        {"Boston", "MA", "02108"},
        {"Madison", "WI", "53703"},
        {"Raleigh", "NC", "27601"},
        {"Phoenix", "AZ", "85004"},
        {"Albany", "NY", "12207"},
        {"Tampa", "FL", "33602"},
        {"Omaha", "NE", "68102"},
        {"Fresno", "CA", "93721"},
        {"Salt Lake City", "UT", "84101"},
        {"San Jose", "CA", "95113"},
        {"Kansas City", "MO", "64106"}
    };
    private static final String[] COMPANIES = {
        "Acme Corp",
        "Globex Inc",
        "Initech LLC",
        "Northwind Traders",
        "Contoso Ltd",
        "Blue Harbor Bank",
        "Summit Health Partners",
        "Redwood Insurance Group",
        "Pinecrest Clinic",
        "Atlas Logistics",
        "Brightline Software",
        "Evergreen Credit Union",
        "Silverline Capital",
        "Orion Medical Center",
        "Horizon Telecom",
        "Keystone Mutual"
    };
    private static final String[] CITIES = {
        "Chicago",
        "London",
        "Berlin",
        "Toronto",
        "Mumbai",
        "Sydney",
        "Madrid",
        "Paris",
        "Singapore",
        "Dublin",
        "Amsterdam",
        "Seattle",
        "Boston",
        "Zurich",
        "Lisbon",
        "Nairobi",
        "Seoul",
        "Mexico City"
    };
    private static final String[] DOMAINS = {
        "example.com", "gmail.com", "outlook.com", "yahoo.com", "mail.example.org", "company.co.uk",
        "firma.de", "hospital.org", "bank.example.net", "proton.me", "icloud.com", "insurer.io"
    };
    private static final String[] IBAN_FORMATS = {
        "DE:18n",
        "GB:4a14n",
        "FR:23n",
        "ES:20n",
        "IT:1a22n",
        "NL:4a10n",
        "BE:12n",
        "CH:17n",
        "AT:16n",
        "PL:24n",
        "PT:21n",
        "SE:20n",
        "IE:4a14n",
        "NO:11n",
        "DK:14n",
        "FI:14n",
        "LU:16n"
    };
    private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final String BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final String[] EIP55 = {
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"
    };

    private final Random random;
    private final List<String> given;
    private final List<String> family;

    Values(Random random, List<String> given, List<String> family) {
        this.random = random;
        this.given = given;
        this.family = family;
    }

    int between(int from, int to) {
        return from + random.nextInt(to - from + 1);
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    String digits(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append((char) ('0' + random.nextInt(10)));
        }
        return b.toString();
    }

    String letters(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append((char) ('A' + random.nextInt(26)));
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- people and places

    String person(String variant) {
        String g = pick(given);
        String f = pick(family);
        return switch (variant == null ? "full" : variant) {
            case "first" -> g;
            case "last" -> f;
            case "lastfirst" -> f + ", " + g;
            case "caps" -> (g + " " + f).toUpperCase(Locale.ROOT);
            default -> chance(0.12) ? g + " " + (char) ('A' + random.nextInt(26)) + ". " + f : g + " " + f;
        };
    }

    String email() {
        String g = ascii(pick(given)).toLowerCase(Locale.ROOT);
        String f = ascii(pick(family)).toLowerCase(Locale.ROOT);
        String local = switch (random.nextInt(6)) {
            case 0 -> g + "." + f;
            case 1 -> g.charAt(0) + f;
            case 2 -> g + "_" + f + between(1, 99);
            case 3 -> g + "+" + pick(new String[] {"billing", "news", "work"});
            case 4 -> f + "." + g.charAt(0);
            default -> g + between(70, 2005);
        };
        String email = local + "@" + pick(DOMAINS);
        return chance(0.1) ? Character.toUpperCase(email.charAt(0)) + email.substring(1) : email;
    }

    private static String ascii(String s) {
        String decomposed = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder b = new StringBuilder();
        for (char c : decomposed.toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                b.append(c);
            }
        }
        return b.isEmpty() ? "user" : b.toString();
    }

    String address() {
        int kind = random.nextInt(10);
        if (kind < 6) {
            StringBuilder b = new StringBuilder();
            b.append(between(1, 9999)).append(' ');
            if (chance(0.1)) {
                b.append(pick(new String[] {"N", "S", "E", "W", "North", "West"}))
                        .append(' ');
            }
            b.append(pick(STREETS)).append(' ').append(pick(SUFFIXES));
            if (chance(0.2)) {
                b.append(pick(new String[] {", Apt ", ", Suite ", " Unit ", ", #"}))
                        .append(between(1, 999));
            }
            if (chance(0.7)) {
                String[] city = pick(US_CITIES);
                b.append(", ").append(city[0]).append(", ").append(city[1]);
                if (chance(0.8)) {
                    b.append(' ').append(city[2]);
                }
            }
            return b.toString();
        }
        return switch (kind) {
            case 6 ->
                between(1, 300) + pick(new String[] {"", "A", "B"}) + " " + pick(STREETS) + " "
                        + pick(new String[] {"Road", "Street", "Lane", "Close", "Gardens"}) + ", "
                        + pick(new String[] {"London", "Leeds", "Bristol", "York"}) + " "
                        + pick(new String[] {"SW1A 1AA", "LS1 4DY", "BS1 5TR", "YO1 7HH", "EC2M 7PY"});
            case 7 ->
                pick(new String[] {"Haupt", "Linden", "Goethe", "Schiller", "Bahnhof", "Garten", "Berg"})
                        + pick(new String[] {"straße", "strasse", "weg", "allee", "platz"}) + " " + between(1, 120)
                        + (chance(0.5)
                                ? ", "
                                        + pick(new String[] {
                                            "10115 Berlin", "80331 München", "50667 Köln", "20095 Hamburg", "1010 Wien"
                                        })
                                : "");
            case 8 ->
                between(1, 200) + " "
                        + pick(new String[] {
                            "rue de la Paix",
                            "avenue Victor Hugo",
                            "boulevard Saint-Michel",
                            "rue du Bac",
                            "avenue des Champs"
                        })
                        + (chance(0.6)
                                ? ", " + pick(new String[] {"75002 Paris", "69001 Lyon", "13001 Marseille"})
                                : "");
            default ->
                pick(new String[] {
                            "Calle Mayor",
                            "Calle de Alcalá",
                            "Via Roma",
                            "Via Garibaldi",
                            "Rua Augusta",
                            "Avenida Paulista"
                        })
                        + (chance(0.5) ? ", " : " ")
                        + between(1, 400);
        };
    }

    String company() {
        return pick(COMPANIES);
    }

    String city() {
        return pick(CITIES);
    }

    // ---------------------------------------------------------------- cards and banking

    String card(boolean valid) {
        String prefix;
        int length;
        switch (random.nextInt(8)) {
            case 0, 1, 2 -> {
                prefix = "4";
                length = 16;
            }
            case 3 -> {
                prefix = chance(0.7) ? String.valueOf(between(51, 55)) : String.valueOf(between(2221, 2720));
                length = 16;
            }
            case 4 -> {
                prefix = chance(0.5) ? "34" : "37";
                length = 15;
            }
            case 5 -> {
                prefix = chance(0.5) ? "6011" : "65";
                length = 16;
            }
            case 6 -> {
                prefix = String.valueOf(between(3528, 3589));
                length = 16;
            }
            default -> {
                prefix = "62";
                length = 16;
            }
        }
        String body = prefix + digits(length - prefix.length() - 1);
        int check = luhnCheckDigit(body);
        if (!valid) {
            check = (check + between(1, 9)) % 10;
        }
        String number = body + check;
        int style = random.nextInt(10);
        if (style < 3) {
            return number;
        }
        char sep = style < 8 ? ' ' : '-';
        if (length == 15) {
            return number.substring(0, 4) + sep + number.substring(4, 10) + sep + number.substring(10);
        }
        return number.substring(0, 4)
                + sep
                + number.substring(4, 8)
                + sep
                + number.substring(8, 12)
                + sep
                + number.substring(12);
    }

    static int luhnCheckDigit(String body) {
        int sum = 0;
        boolean twice = true;
        for (int i = body.length() - 1; i >= 0; i--) {
            int d = body.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return (10 - sum % 10) % 10;
    }

    String ssn(boolean anyFormat) {
        int area;
        do {
            area = between(1, 899);
        } while (area == 666);
        String a = String.format("%03d", area);
        String g = String.format("%02d", between(1, 99));
        String s = String.format("%04d", between(1, 9999));
        if (!anyFormat) {
            return a + "-" + g + "-" + s;
        }
        return switch (random.nextInt(4)) {
            case 0 -> a + " " + g + " " + s;
            case 1 -> a + g + s;
            default -> a + "-" + g + "-" + s;
        };
    }

    String itin() {
        int[][] ranges = {{50, 65}, {70, 88}, {90, 92}, {94, 99}};
        int[] range = pick(ranges);
        return "9" + digits(2) + "-" + between(range[0], range[1]) + "-" + digits(4);
    }

    String aba() {
        int[] prefixes = {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 61, 62, 63, 64, 65,
            66, 67, 68, 69, 70, 71, 72
        };
        String body = String.format("%02d", prefixes[random.nextInt(prefixes.length)]) + digits(6);
        int[] d = body.chars().map(c -> c - '0').toArray();
        int sum = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5]);
        return body + (10 - sum % 10) % 10;
    }

    String bankAccount() {
        return digits(between(8, 14));
    }

    String iban() {
        String[] format = pick(IBAN_FORMATS).split(":");
        String country = format[0];
        StringBuilder bban = new StringBuilder();
        String spec = format[1];
        int i = 0;
        while (i < spec.length()) {
            int j = i;
            while (Character.isDigit(spec.charAt(j))) {
                j++;
            }
            int count = Integer.parseInt(spec.substring(i, j));
            bban.append(spec.charAt(j) == 'a' ? letters(count) : digits(count));
            i = j + 1;
        }
        String rearranged = bban + country + "00";
        StringBuilder numeric = new StringBuilder();
        for (char c : rearranged.toCharArray()) {
            numeric.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        int check = 98
                - new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue();
        String iban = country + String.format("%02d", check) + bban;
        int style = random.nextInt(10);
        if (style < 4) {
            return iban;
        }
        StringBuilder spaced = new StringBuilder();
        for (int k = 0; k < iban.length(); k += 4) {
            if (k > 0) {
                spaced.append(' ');
            }
            spaced.append(iban, k, Math.min(iban.length(), k + 4));
        }
        return style == 9 ? spaced.toString().toLowerCase(Locale.ROOT) : spaced.toString();
    }

    String swift() {
        String[] countries = {"DE", "GB", "FR", "US", "CH", "NL", "ES", "IT", "IN", "BR"};
        String code = letters(4) + pick(countries) + letters(1) + between(0, 9);
        return chance(0.4) ? code + pick(new String[] {"XXX", "500", "100"}) : code;
    }

    // ---------------------------------------------------------------- contact and network

    String phone() {
        String region = pick(PHONE_REGIONS);
        PhoneNumber number = null;
        for (int attempt = 0; attempt < 50 && number == null; attempt++) {
            PhoneNumber example = PHONES.getExampleNumberForType(
                    region, chance(0.6) ? PhoneNumberType.MOBILE : PhoneNumberType.FIXED_LINE);
            String nsn = PHONES.getNationalSignificantNumber(example);
            int keep = Math.max(2, nsn.length() - 6);
            PhoneNumber candidate = new PhoneNumber()
                    .setCountryCode(example.getCountryCode())
                    .setNationalNumber(Long.parseLong(nsn.substring(0, keep) + digits(nsn.length() - keep)));
            if (PHONES.isValidNumberForRegion(candidate, region)) {
                number = candidate;
            }
        }
        if (number == null) {
            return "+1 415-555-0132";
        }
        String national = PHONES.format(number, PhoneNumberFormat.NATIONAL);
        String international = PHONES.format(number, PhoneNumberFormat.INTERNATIONAL);
        if (region.equals("US") || region.equals("CA")) {
            String nsn = PHONES.getNationalSignificantNumber(number);
            String a = nsn.substring(0, 3);
            String b = nsn.substring(3, 6);
            String c = nsn.substring(6);
            return switch (random.nextInt(7)) {
                case 0 -> national;
                case 1 -> a + "-" + b + "-" + c;
                case 2 -> a + "." + b + "." + c;
                case 3 -> "+1 " + a + "-" + b + "-" + c;
                case 4 -> "+1 (" + a + ") " + b + "-" + c;
                case 5 -> international;
                default -> "1-" + a + "-" + b + "-" + c;
            };
        }
        return switch (random.nextInt(5)) {
            case 0, 1 -> national;
            case 2, 3 -> international;
            default -> PHONES.format(number, PhoneNumberFormat.E164);
        };
    }

    String ip() {
        if (chance(0.7)) {
            return between(1, 223) + "." + between(0, 255) + "." + between(0, 255) + "." + between(1, 254);
        }
        if (chance(0.5)) {
            StringBuilder b = new StringBuilder("2001:db8");
            for (int i = 0; i < 6; i++) {
                b.append(':').append(Integer.toHexString(between(1, 0xffff)));
            }
            return b.toString();
        }
        StringBuilder b = new StringBuilder("fe80:");
        for (int i = 0; i < 3; i++) {
            b.append(':').append(Integer.toHexString(between(1, 0xffff)));
        }
        return b.toString();
    }

    String url() {
        String host = pick(new String[] {"www.", "", "portal.", "docs."})
                + pick(new String[] {"example", "acme-health", "northwind", "mybank", "clinic-portal", "janedoe"})
                + pick(new String[] {".com", ".org", ".net", ".io", ".co.uk", ".de"});
        String path = pick(new String[] {
            "", "/", "/account/settings", "/release-notes?v=2", "/u/12345#top", "/docs/getting-started.html"
        });
        return switch (random.nextInt(4)) {
            case 0 -> "http://" + host + path;
            case 3 -> host.startsWith("www.") ? host + path : "https://" + host + path;
            default -> "https://" + host + path;
        };
    }

    String crypto() {
        return switch (random.nextInt(4)) {
            case 0 -> base58Check(0x00);
            case 1 -> base58Check(0x05);
            case 2 -> bech32Address();
            default -> chance(0.5) ? pick(EIP55) : "0x" + hex(20);
        };
    }

    private String hex(int bytes) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < bytes; i++) {
            b.append(String.format("%02x", random.nextInt(256)));
        }
        return b.toString();
    }

    private String base58Check(int version) {
        byte[] payload = new byte[25];
        payload[0] = (byte) version;
        for (int i = 1; i < 21; i++) {
            payload[i] = (byte) random.nextInt(256);
        }
        byte[] hash = sha256(sha256(java.util.Arrays.copyOf(payload, 21)));
        System.arraycopy(hash, 0, payload, 21, 4);
        BigInteger value = new BigInteger(1, payload);
        StringBuilder b = new StringBuilder();
        BigInteger radix = BigInteger.valueOf(58);
        while (value.signum() > 0) {
            BigInteger[] qr = value.divideAndRemainder(radix);
            b.append(BASE58.charAt(qr[1].intValue()));
            value = qr[0];
        }
        for (int i = 0; i < payload.length && payload[i] == 0; i++) {
            b.append('1');
        }
        return b.reverse().toString();
    }

    private String bech32Address() {
        int[] program = new int[20];
        for (int i = 0; i < 20; i++) {
            program[i] = random.nextInt(256);
        }
        // 8-bit to 5-bit groups
        int[] data = new int[1 + 32];
        data[0] = 0;
        int acc = 0;
        int bits = 0;
        int n = 1;
        for (int value : program) {
            acc = (acc << 8) | value;
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                data[n++] = (acc >> bits) & 31;
            }
        }
        int[] values = new int[5 + n + 6];
        values[0] = 'b' >> 5;
        values[1] = 'c' >> 5;
        values[2] = 0;
        values[3] = 'b' & 31;
        values[4] = 'c' & 31;
        System.arraycopy(data, 0, values, 5, n);
        int polymod = polymod(values) ^ 1;
        StringBuilder b = new StringBuilder("bc1");
        for (int i = 0; i < n; i++) {
            b.append(BECH32.charAt(data[i]));
        }
        for (int i = 0; i < 6; i++) {
            b.append(BECH32.charAt((polymod >> (5 * (5 - i))) & 31));
        }
        return b.toString();
    }

    private static int polymod(int[] values) {
        int[] generator = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
        int chk = 1;
        for (int v : values) {
            int top = chk >>> 25;
            chk = (chk & 0x1ffffff) << 5 ^ v;
            for (int i = 0; i < 5; i++) {
                if (((top >>> i) & 1) != 0) {
                    chk ^= generator[i];
                }
            }
        }
        return chk;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- health and identity

    String birthDate() {
        int year = between(1935, 2006);
        int month = between(1, 12);
        int day = between(1, 28);
        return switch (random.nextInt(7)) {
            case 0, 1 -> String.format("%02d/%02d/%d", month, day, year);
            case 2 -> String.format("%d-%02d-%02d", year, month, day);
            case 3 -> String.format("%02d.%02d.%d", day, month, year);
            case 4 -> MONTHS[month - 1] + " " + day + ", " + year;
            case 5 -> day + " " + MONTHS[month - 1] + " " + year;
            default -> MONTHS[month - 1].substring(0, 3) + " " + day + ", " + year;
        };
    }

    String npi() {
        String body = (chance(0.5) ? "1" : "2") + digits(8);
        return body + luhnCheckDigit("80840" + body);
    }

    String dea() {
        String first = String.valueOf("ABCDEFGHJKLMPRSTUX".charAt(random.nextInt(18)));
        String second = letters(1);
        String d = digits(6);
        int odd = (d.charAt(0) - '0') + (d.charAt(2) - '0') + (d.charAt(4) - '0');
        int even = (d.charAt(1) - '0') + (d.charAt(3) - '0') + (d.charAt(5) - '0');
        return first + second + d + (odd + 2 * even) % 10;
    }

    String passport() {
        return chance(0.5) ? String.valueOf(between(1, 9)) + digits(8) : letters(1) + digits(8);
    }

    String driverLicense() {
        return switch (random.nextInt(3)) {
            case 0 -> letters(1) + digits(7);
            case 1 -> letters(1) + digits(3) + "-" + digits(4) + "-" + digits(4);
            default -> letters(1) + digits(12);
        };
    }

    // ---------------------------------------------------------------- negatives (not personal data)

    String order() {
        return switch (random.nextInt(5)) {
            case 0 -> "#" + digits(3) + "-" + digits(7) + "-" + digits(7);
            case 1 -> "ORD-" + between(2019, 2026) + "-" + digits(6);
            case 2 -> "#" + between(1, 9) + digits(9);
            case 3 -> between(1, 9) + digits(8);
            default -> "A" + digits(7);
        };
    }

    String version() {
        return switch (random.nextInt(4)) {
            case 0 -> between(1, 12) + "." + between(0, 30) + "." + between(0, 99);
            case 1 -> "v" + between(1, 5) + "." + between(0, 20) + "." + between(0, 9);
            case 2 -> between(1, 12) + "." + between(0, 9) + "." + between(0, 9) + "." + between(0, 999);
            default -> between(2019, 2026) + "." + between(1, 12);
        };
    }

    String price() {
        return switch (random.nextInt(3)) {
            case 0 -> "$" + String.format(Locale.US, "%,d.%02d", between(1, 99999), between(0, 99));
            case 1 -> "€" + between(1, 9999) + "," + String.format("%02d", between(0, 99));
            default -> "USD " + String.format(Locale.US, "%,d", between(100, 9_999_999));
        };
    }

    String timestamp() {
        String date = String.format("%d-%02d-%02d", between(2020, 2026), between(1, 12), between(1, 28));
        String time = String.format("%02d:%02d:%02d", between(0, 23), between(0, 59), between(0, 59));
        return switch (random.nextInt(3)) {
            case 0 -> date + " " + time;
            case 1 -> date + "T" + time + "Z";
            default ->
                String.format(
                        "%02d/%02d/%d %d:%02d %s",
                        between(1, 12),
                        between(1, 28),
                        between(2020, 2026),
                        between(1, 12),
                        between(0, 59),
                        chance(0.5) ? "AM" : "PM");
        };
    }

    String date() {
        int year = between(2020, 2026);
        int month = between(1, 12);
        int day = between(1, 28);
        return switch (random.nextInt(3)) {
            case 0 -> String.format("%02d/%02d/%d", month, day, year);
            case 1 -> String.format("%d-%02d-%02d", year, month, day);
            default -> MONTHS[month - 1] + " " + day;
        };
    }

    String time() {
        return chance(0.5)
                ? between(1, 12) + ":" + pick(new String[] {"00", "15", "30", "45"}) + " "
                        + pick(new String[] {"AM", "PM"})
                : String.format("%02d:%02d", between(7, 19), between(0, 59));
    }

    String ticket() {
        return switch (random.nextInt(4)) {
            case 0 -> pick(new String[] {"JIRA", "OPS", "SUP", "CASE"}) + "-" + between(100, 99999);
            case 1 -> "INC" + digits(7);
            case 2 -> "#" + between(1000, 999999);
            default -> digits(9);
        };
    }

    String tracking() {
        return switch (random.nextInt(3)) {
            case 0 -> "1Z" + letters(3) + digits(2) + letters(1) + digits(10);
            case 1 -> "9400 " + digits(4) + " " + digits(4) + " " + digits(4) + " " + digits(4) + " " + digits(2);
            default -> digits(4) + " " + digits(4) + " " + digits(4);
        };
    }

    String invoice() {
        return chance(0.5) ? "INV-" + between(2020, 2026) + "-" + digits(5) : String.valueOf(between(1, 9)) + digits(9);
    }

    String count() {
        return String.format(Locale.US, "%,d", between(2, 250000));
    }

    String last4() {
        return digits(4);
    }

    String expiry() {
        return String.format("%02d/%02d", between(1, 12), between(25, 32));
    }

    String plate() {
        return between(1, 9) + letters(3) + digits(3);
    }

    String domain() {
        return pick(new String[] {"example.com", "acme.io", "northwind.net"});
    }

    static String hexOf(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            b.append(String.format("%02x", x));
        }
        return b.toString();
    }
}
