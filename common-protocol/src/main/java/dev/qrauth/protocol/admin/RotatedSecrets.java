package dev.qrauth.protocol.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * The new secrets of a rotation, shown only this once; the replaced ones are still accepted until
 * {@code rotationOverlapUntil} ({@code null} for no overlap).
 */
public record RotatedSecrets(
        @JsonProperty("client_id") String clientId,
        @JsonProperty("client_secret") String clientSecret,
        @JsonProperty("callback_signing_secret") String callbackSigningSecret,
        @JsonProperty("rotation_overlap_until") Instant rotationOverlapUntil) {

    @Override
    public String toString() {
        return "RotatedSecrets[clientId=" + clientId + ", clientSecret=<redacted>, callbackSigningSecret=<redacted>, "
                + "rotationOverlapUntil=" + rotationOverlapUntil + "]";
    }
}
