package dev.qrauth.protocol.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The tables of ARCHITECTURE.md and docs/PROTOCOL.md, checked against the enums. */
class ErrorCodeTablesTest {

    @Test
    void portalCodesKeepTheOneginiNumbersAndStatuses() {
        Map<Integer, Integer> statusByCode = Arrays.stream(PortalErrorCode.values())
                .collect(Collectors.toMap(PortalErrorCode::code, PortalErrorCode::httpStatus));
        assertThat(statusByCode).containsAllEntriesOf(Map.of(
                1000, 404, 1001, 404, 1003, 400, 1005, 400, 1006, 404, 3005, 404));
        assertThat(PortalErrorCode.fromCode(3005)).isEqualTo(PortalErrorCode.TYPE_NOT_FOUND);
        assertThat(PortalErrorCode.fromCode(4242)).isNull();
    }

    @Test
    void thereIsADeviceCodeForEverySdkError() {
        Set<String> sdkErrors = Set.of("DEVICE_DEREGISTERED", "USER_DEREGISTERED", "NETWORK_CONNECTIVITY_FAILURE",
                "SERVER_NOT_REACHABLE", "NOT_FOUND", "NOT_HANDLEABLE", "USER_DISENROLLED", "NOT_ENROLLED",
                "USER_NOT_AUTHENTICATED", "INVALID_PIN", "ALREADY_HANDLED", "ACTION_ALREADY_IN_PROGRESS",
                "ACTION_CANCELLED");
        Set<String> codes = Arrays.stream(DeviceErrorCode.values()).map(Enum::name).collect(Collectors.toSet());
        assertThat(codes).containsAll(sdkErrors);
    }

    @Test
    void serverCodesHaveAnErrorStatusAndSdkCodesNone() {
        for (DeviceErrorCode code : DeviceErrorCode.values()) {
            if (code.origin() == DeviceErrorCode.Origin.SERVER) {
                assertThat(code.httpStatus()).as(code.name()).isBetween(400, 599);
            } else {
                assertThat(code.httpStatus()).as(code.name()).isZero();
            }
        }
    }

    @Test
    void unknownAndMissingWireCodesAreUnrecognized() {
        assertThat(DeviceErrorCode.fromWire("ALREADY_HANDLED")).isEqualTo(DeviceErrorCode.ALREADY_HANDLED);
        assertThat(DeviceErrorCode.fromWire("already_handled")).isEqualTo(DeviceErrorCode.UNRECOGNIZED);
        assertThat(DeviceErrorCode.fromWire(null)).isEqualTo(DeviceErrorCode.UNRECOGNIZED);
    }
}
