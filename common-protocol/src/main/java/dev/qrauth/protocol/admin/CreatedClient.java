package dev.qrauth.protocol.admin;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The answer to creating an API client: its id and secrets, shown only this once. */
public record CreatedClient(
        @JsonProperty("client_id") String clientId,
        @JsonProperty("client_secret") String clientSecret,
        @JsonProperty("callback_signing_secret") String callbackSigningSecret) {

    @Override
    public String toString() {
        return "CreatedClient[clientId=" + clientId + ", clientSecret=<redacted>, callbackSigningSecret=<redacted>]";
    }
}
