package dev.qrauth.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The numbers of {@link SdkErrorCode}: Onegini's for the errors its SDKs share with this one, ours
 * from 7000 to 7999 for the rest, and the table of {@code docs/PROTOCOL.md} saying the same.
 */
class SdkErrorCodeTest {

    /** Onegini's numbers (iOS ONGErrors.h; Android "SDK Errors"), as SdkErrorCode's Javadoc cites them. */
    static final Map<SdkErrorCode, Integer> ONEGINI = Map.ofEntries(
            Map.entry(SdkErrorCode.NETWORK_CONNECTIVITY_FAILURE, 9000),
            Map.entry(SdkErrorCode.SERVER_NOT_REACHABLE, 9001),
            Map.entry(SdkErrorCode.DEVICE_DEREGISTERED, 9002),
            Map.entry(SdkErrorCode.USER_DEREGISTERED, 9003),
            Map.entry(SdkErrorCode.ACTION_CANCELLED, 9006),
            Map.entry(SdkErrorCode.ACTION_ALREADY_IN_PROGRESS, 9007),
            Map.entry(SdkErrorCode.INVALID_PIN, 9009),
            Map.entry(SdkErrorCode.USER_NOT_AUTHENTICATED, 9010),
            Map.entry(SdkErrorCode.USER_DISENROLLED, 9020),
            Map.entry(SdkErrorCode.NOT_ENROLLED, 9021),
            Map.entry(SdkErrorCode.ALREADY_HANDLED, 9029),
            Map.entry(SdkErrorCode.NOT_FOUND, 10013),
            Map.entry(SdkErrorCode.NOT_HANDLEABLE, 10018));

    /** Ours: no Onegini counterpart. */
    static final Map<SdkErrorCode, Integer> OURS = Map.of(
            SdkErrorCode.INVALID_ACTIVATION_CODE, 7001,
            SdkErrorCode.PIN_NOT_ALLOWED, 7002,
            SdkErrorCode.SERVER_MISMATCH, 7003,
            SdkErrorCode.LOCAL_STORE_CORRUPT, 7004);

    @Test
    void everyCodeHasTheNumberOfTheTable() {
        Map<SdkErrorCode, Integer> table = new EnumMap<>(SdkErrorCode.class);
        table.putAll(ONEGINI);
        table.putAll(OURS);
        assertThat(table.keySet()).as("every code is in exactly one table").containsExactlyInAnyOrder(SdkErrorCode.values());
        assertThat(ONEGINI.keySet()).doesNotContainAnyElementsOf(OURS.keySet());
        for (SdkErrorCode code : SdkErrorCode.values()) {
            assertThat(code.code()).as(code.name()).isEqualTo(table.get(code));
        }
    }

    @Test
    void numbersAreUnique() {
        assertThat(Arrays.stream(SdkErrorCode.values()).map(SdkErrorCode::code)).doesNotHaveDuplicates();
    }

    @Test
    void ourNumbersStayOutOfEveryRangeOneginiUses() {
        // Onegini: 8000-8999 for its plugins, 9000-9999 and 10000 up for its SDKs.
        assertThat(OURS.values()).allSatisfy(number -> assertThat(number).isBetween(7000, 7999));
        assertThat(ONEGINI.values()).allSatisfy(number -> assertThat(number).isGreaterThanOrEqualTo(9000));
    }

    @Test
    void theProtocolTableShowsTheSameNumbers() throws IOException {
        String protocol = Files.readString(Path.of("..", "docs", "PROTOCOL.md"));
        String section = protocol.substring(protocol.indexOf("### Device API errors"), protocol.indexOf("## Envelopes"));
        Pattern row = Pattern.compile("^\\| `([A-Z_]+)` \\|.*\\| (\\d+|—) \\|$", Pattern.MULTILINE);
        Map<String, String> documented = new HashMap<>();
        Matcher matcher = row.matcher(section);
        while (matcher.find()) {
            documented.put(matcher.group(1), matcher.group(2));
        }
        List<String> names = Arrays.stream(SdkErrorCode.values()).map(Enum::name).toList();
        for (SdkErrorCode code : SdkErrorCode.values()) {
            assertThat(documented.get(code.name())).as(code.name()).isEqualTo(String.valueOf(code.code()));
        }
        // Rows that never reach the app under their own name show no number.
        documented.forEach((name, number) -> {
            if (!names.contains(name)) {
                assertThat(number).as(name).isEqualTo("—");
            }
        });
    }
}
