package dev.qrauth.tokenserver.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * The admin API's change to a client ({@code PATCH /clients/{client_id}}): the members of the
 * creation request, and {@code enabled}, each optional. A member that is absent is left as it
 * is; one that is present is checked like at creation. Only the callback credentials may be
 * {@code null}, both together, which removes them.
 */
public final class ClientChange {

    private String name;
    private String displayName;
    private List<String> callbackUris;
    private String callbackUsername;
    private String callbackPassword;
    private Boolean callbackOnScan;
    private Boolean enabled;
    /** The wire names of the members present, in the order they came. */
    private final List<String> present = new ArrayList<>();

    @JsonProperty("name")
    void name(String value) {
        name = value;
        present.add("name");
    }

    @JsonProperty("display_name")
    void displayName(String value) {
        displayName = value;
        present.add("display_name");
    }

    @JsonProperty("callback_uris")
    void callbackUris(List<String> value) {
        callbackUris = value;
        present.add("callback_uris");
    }

    @JsonProperty("callback_username")
    void callbackUsername(String value) {
        callbackUsername = value;
        present.add("callback_username");
    }

    @JsonProperty("callback_password")
    void callbackPassword(String value) {
        callbackPassword = value;
        present.add("callback_password");
    }

    @JsonProperty("callback_on_scan")
    void callbackOnScan(Boolean value) {
        callbackOnScan = value;
        present.add("callback_on_scan");
    }

    @JsonProperty("enabled")
    void enabled(Boolean value) {
        enabled = value;
        present.add("enabled");
    }

    boolean has(String member) {
        return present.contains(member);
    }

    boolean isEmpty() {
        return present.isEmpty();
    }

    String name() {
        return name;
    }

    String displayName() {
        return displayName;
    }

    List<String> callbackUris() {
        return callbackUris;
    }

    String callbackUsername() {
        return callbackUsername;
    }

    String callbackPassword() {
        return callbackPassword;
    }

    Boolean callbackOnScan() {
        return callbackOnScan;
    }

    Boolean enabled() {
        return enabled;
    }
}
