package dev.qrauth.protocol.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code POST /admin/api/v1/clients}: create an API client for a portal. The callback credentials
 * are optional and go together; {@code null} members are left out of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NewClient(
        @JsonProperty("name") String name,
        @JsonProperty("display_name") String displayName,
        @JsonProperty("callback_uris") List<String> callbackUris,
        @JsonProperty("callback_username") String callbackUsername,
        @JsonProperty("callback_password") String callbackPassword,
        @JsonProperty("callback_on_scan") Boolean callbackOnScan) {

    /** A client without callback credentials that is called back on answers only. */
    public static NewClient of(String name, String displayName, List<String> callbackUris) {
        return new NewClient(name, displayName, callbackUris, null, null, null);
    }

    /** This client, called back when a phone scans a code too ({@code true}) or not. */
    public NewClient withCallbackOnScan(boolean onScan) {
        return new NewClient(name, displayName, callbackUris, callbackUsername, callbackPassword, onScan);
    }

    /** This client with the Basic credentials its callbacks carry. */
    public NewClient withCallbackCredentials(String username, String password) {
        return new NewClient(name, displayName, callbackUris, username, password, callbackOnScan);
    }

    @Override
    public String toString() {
        return "NewClient[name=" + name + ", displayName=" + displayName + ", callbackUris=" + callbackUris
                + ", callbackUsername=" + callbackUsername + ", callbackPassword="
                + (callbackPassword == null ? null : "<redacted>") + ", callbackOnScan=" + callbackOnScan + "]";
    }
}
