package dev.promptforge.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ChecksumsTest {

    @Test
    void keccak256_matches_the_ethereum_reference_vectors() {
        // when
        String empty = HexFormat.of().formatHex(Keccak256.digest(new byte[0]));
        String abc = HexFormat.of().formatHex(Keccak256.digest("abc".getBytes(StandardCharsets.US_ASCII)));
        String longInput = HexFormat.of().formatHex(Keccak256.digest(new byte[200]));

        // then
        assertThat(empty).isEqualTo("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
        assertThat(abc).isEqualTo("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
        assertThat(longInput).hasSize(64);
    }

    @Test
    void base58check_accepts_real_addresses_and_rejects_wrong_lengths_and_checksums() {
        // given: the genesis block's P2PKH address (one leading zero byte) and BIP-13's P2SH example
        String genesis = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";
        String p2sh = "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy";

        // then
        assertThat(Checksums.base58Check(genesis, 0, genesis.length())).isTrue();
        assertThat(Checksums.base58Check(p2sh, 0, p2sh.length())).isTrue();
        assertThat(Checksums.base58Check("x" + genesis + "x", 1, genesis.length() + 1))
                .isTrue();
        // a changed character, an extra leading '1' (26 bytes), a value too large for 25 bytes
        assertThat(Checksums.base58Check("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", 0, 34))
                .isFalse();
        assertThat(Checksums.base58Check("1" + genesis, 0, 35)).isFalse();
        assertThat(Checksums.base58Check("z" + p2sh, 0, 35)).isFalse();
        assertThat(Checksums.base58Check("0OIl" + p2sh, 0, 38)).isFalse();
    }

    @Test
    void eip55_accepts_the_reference_addresses_and_rejects_a_flipped_case() {
        // given: EIP-55's own examples
        String[] valid = {
            "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "fB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
            "dbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "D1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"
        };

        // then
        for (String address : valid) {
            assertThat(Checksums.eip55(address, 0)).as(address).isTrue();
        }
        assertThat(Checksums.eip55("5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", 0))
                .isFalse();
    }

    @Test
    void luhn_aba_and_npi_check_digits() {
        assertThat(Checksums.luhn("79927398713".toCharArray(), 11)).isTrue();
        assertThat(Checksums.luhn("79927398710".toCharArray(), 11)).isFalse();
        assertThat(Checksums.aba("011000015".toCharArray(), 9)).isTrue();
        assertThat(Checksums.aba("011000016".toCharArray(), 9)).isFalse();
        assertThat(Checksums.npi("1245319599".toCharArray(), 10)).isTrue();
        assertThat(Checksums.npi("1245319598".toCharArray(), 10)).isFalse();
    }
}
