package dev.qrauth.protocol.device;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.UUID;

/** The answer to a device registration: the credentials it authenticates with from then on. */
public record DeviceCredentials(
        @JsonProperty("device_id") UUID deviceId,
        @JsonProperty("device_secret") String deviceSecret) {

    @Override
    public String toString() {
        return "DeviceCredentials[deviceId=" + deviceId + ", deviceSecret=<redacted>]";
    }
}
