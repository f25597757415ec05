package dev.qrauth.protocol.portal;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answers of the availability endpoints ({@code docs/PROTOCOL.md}, "Availability"), in the
 * two shapes Onegini documents: per user a list of objects naming the type and its method, per
 * user and device a list of type names.
 */
public final class AvailableTypes {

    /** The {@code method} of every type of this server. */
    public static final String METHOD_OTP = "OTP";

    private AvailableTypes() {
    }

    /** {@code GET /oauth/api/v4/authenticate/user/{user_id}/enabled}. */
    public record ForUser(@JsonProperty("enabled") List<Type> enabled) {
        public ForUser {
            enabled = List.copyOf(enabled);
        }
    }

    /** One entry of {@link ForUser}: a mobile-auth type's name and its method. */
    public record Type(@JsonProperty("type") String type, @JsonProperty("method") String method) {
    }

    /** {@code GET /oauth/api/v4/authenticate/user/{user_id}/device/{device_id}/enabled}: type names. */
    public record ForDevice(@JsonProperty("enabled") List<String> enabled) {
        public ForDevice {
            enabled = List.copyOf(enabled);
        }
    }
}
