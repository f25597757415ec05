package dev.qrauth.protocol.device;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /device/api/v1/devices}: the device's display name, 1 to 100 characters. */
public record DeviceRegistrationRequest(@JsonProperty("name") String name) {

    public static final int MAX_NAME_LENGTH = 100;

    /** Whether the name is acceptable: 1 to 100 characters, not blank, no control characters. */
    public static boolean isValidName(String name) {
        return name != null && !name.isBlank() && name.length() <= MAX_NAME_LENGTH
                && name.chars().noneMatch(Character::isISOControl);
    }
}
