package dev.qrauth.protocol.device;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code PUT /device/api/v1/users/{user_id}/duress-pin}: set or replace the duress PIN. */
public record DuressPinRequest(@JsonProperty("duress_pin") String duressPin) {

    @Override
    public String toString() {
        return "DuressPinRequest[duressPin=<redacted>]";
    }
}
