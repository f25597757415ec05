package dev.qrauth.protocol.device;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /device/api/v1/users/{user_id}/session}: log in with the PIN. */
public record PinLoginRequest(@JsonProperty("pin") String pin) {

    @Override
    public String toString() {
        return "PinLoginRequest[pin=<redacted>]";
    }
}
