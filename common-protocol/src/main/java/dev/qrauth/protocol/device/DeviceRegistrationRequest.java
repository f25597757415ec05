package dev.qrauth.protocol.device;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.qrauth.protocol.text.DisplayText;

/** {@code POST /device/api/v1/devices}: the device's display name, 1 to 100 characters. */
public record DeviceRegistrationRequest(@JsonProperty("name") String name) {

    public static final int MAX_NAME_LENGTH = 100;

    /**
     * Whether the name is acceptable: 1 to 100 characters, not blank, nothing
     * {@link DisplayText#isSingleLine} refuses (it is shown to administrators).
     */
    public static boolean isValidName(String name) {
        return name != null && !name.isBlank() && name.length() <= MAX_NAME_LENGTH
                && DisplayText.isSingleLine(name);
    }
}
