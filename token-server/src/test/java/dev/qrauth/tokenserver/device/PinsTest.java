package dev.qrauth.tokenserver.device;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PinsTest {

    @ParameterizedTest
    @ValueSource(strings = {"24680", "13579", "112233", "90817", "0000100", "12346"})
    void acceptsPinsThatFollowTheRules(String pin) {
        assertThat(Pins.problem(pin)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1234", "00000", "99999999", "12345", "56789", "54321", "43210", "0123456789",
            "1234a", "12 345", "١٢٣٤٥"})
    void refusesShortRepeatedSequentialAndNonDigitPins(String pin) {
        assertThat(Pins.problem(pin)).isNotNull();
    }
}
