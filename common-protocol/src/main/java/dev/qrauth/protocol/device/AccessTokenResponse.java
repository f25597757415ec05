package dev.qrauth.protocol.device;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A successful PIN login: the access token to send as {@code X-Access-Token}, valid for
 * {@code expires_in} seconds.
 */
public record AccessTokenResponse(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn) {

    public static final String BEARER = "Bearer";

    @Override
    public String toString() {
        return "AccessTokenResponse[accessToken=<redacted>, tokenType=" + tokenType + ", expiresIn=" + expiresIn + "]";
    }
}
