package dev.qrauth.protocol.device;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST .../mobile-auth/short-code}: the short code the user typed instead of scanning
 * (flow step 5; {@code docs/PROTOCOL.md}, "Fetch by short code").
 */
public record ShortCodeFetchRequest(@JsonProperty("short_code") String shortCode) {

    @Override
    public String toString() {
        return "ShortCodeFetchRequest[short_code=<redacted>]";
    }
}
