package dev.qrauth.protocol.otp;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShortCodeTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void generatedCodesHaveSixteenCharactersWithoutLookAlikes() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String code = ShortCode.generate(RANDOM);
            assertThat(code).matches("[A-HJ-NP-Z2-9]{16}");
            seen.add(code);
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void caseSpacesAndDashesAreIgnored() {
        String code = "K7QM4XRT9BHN3PWZ";
        for (String typed : new String[] {"K7QM-4XRT-9BHN-3PWZ", "k7qm-4xrt-9bhn-3pwz", "k7qm 4xrt 9bhn 3pwz",
                " K7Qm4xRT - 9bhn3PWZ ", "K-7-Q-M-4-X-R-T-9-B-H-N-3-P-W-Z", code}) {
            assertThat(ShortCode.normalize(typed)).as(typed).contains(code);
        }
    }

    @Test
    void anythingElseIsNotAShortCode() {
        for (String typed : new String[] {"", "   ", "K7QM-4XRT-9B", "K7QM-4XRT-9BHN-3PW", "K7QM-4XRT-9BHN-3PWZA",
                "K7QM-4XRT-9BHN-3PW0", "K7QM-4XRT-9BHN-3PWO", "K7QM-4XRT-9BHN-3PW1", "K7QM-4XRT-9BHN-3PWI",
                "K7QM_4XRT_9BHN_3PWZ", "K7QM\t4XRT9BHN3PWZ", "K7QM-4XRT-9BHN-3PWÄ", " ".repeat(60) + "K7QM4XRT9BHN3PWZ"}) {
            assertThat(ShortCode.normalize(typed)).as(typed).isEmpty();
            assertThat(ShortCode.isShortCode(typed)).isFalse();
        }
        assertThat(ShortCode.normalize(null)).isEmpty();
    }

    @Test
    void shownInGroupsOfFour() {
        assertThat(ShortCode.grouped("k7qm4xrt9bhn3pwz")).isEqualTo("K7QM-4XRT-9BHN-3PWZ");
        assertThat(ShortCode.BITS).isEqualTo(80);
    }
}
