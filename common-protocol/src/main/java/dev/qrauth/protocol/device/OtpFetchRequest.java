package dev.qrauth.protocol.device;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST .../mobile-auth/otp}: the OTP the device scanned (flow step 5). */
public record OtpFetchRequest(@JsonProperty("otp") String otp) {

    @Override
    public String toString() {
        return "OtpFetchRequest[otp=<redacted>]";
    }
}
