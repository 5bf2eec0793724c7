package dev.promptforge.pii;

import java.util.List;

// The built-in recognizer set, in a fixed order.
final class DefaultRecognizers {

    private DefaultRecognizers() {}

    static List<Recognizer> create(List<String> phoneRegions) {
        return List.of(
                new CreditCardRecognizer(),
                new UsSsnRecognizer(),
                new UsItinRecognizer(),
                new AbaRoutingRecognizer(),
                new UsBankNumberRecognizer(),
                new UsNpiRecognizer(),
                new UsPassportRecognizer(),
                new UsDriverLicenseRecognizer(),
                new MedicalLicenseRecognizer(),
                new IbanRecognizer(),
                new SwiftBicRecognizer(),
                new EmailRecognizer(),
                new UrlRecognizer(),
                new IpAddressRecognizer(), // before phones: a claimed dotted quad is not tried as a number
                new PhoneRecognizer(phoneRegions),
                new CryptoRecognizer(),
                new DateOfBirthRecognizer(),
                new PersonRecognizer(),
                new AddressRecognizer());
    }
}
