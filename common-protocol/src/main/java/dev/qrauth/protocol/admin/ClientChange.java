package dev.qrauth.protocol.admin;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin API's change to a client ({@code PATCH /clients/{client_id}}): the members of the
 * creation request, and {@code enabled}, each optional. A member that is absent is left as it
 * is; one that is present is checked like at creation. Only the callback credentials may be
 * {@code null}, both together, which removes them.
 *
 * <p>A client builds one with the {@code with...} methods and sends exactly the members it set:
 * {@code new ClientChange().withEnabled(false)} disables a client and changes nothing else.
 */
// No getter is a member: the JSON holds exactly the members given, as members() lists them.
@JsonAutoDetect(getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
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

    /** A new name, unique among the clients. */
    public ClientChange withName(String value) {
        name(value);
        return this;
    }

    /** A new name to show on the phone. */
    public ClientChange withDisplayName(String value) {
        displayName(value);
        return this;
    }

    /** A new allow-list of callback URIs, in place of the old one. */
    public ClientChange withCallbackUris(List<String> value) {
        callbackUris(value);
        return this;
    }

    /** New Basic credentials for the callbacks; both {@code null} removes them. */
    public ClientChange withCallbackCredentials(String username, String password) {
        callbackUsername(username);
        callbackPassword(password);
        return this;
    }

    /** Whether to call back when a phone scans a code too. */
    public ClientChange withCallbackOnScan(boolean value) {
        callbackOnScan(value);
        return this;
    }

    /** Disables ({@code false}) or enables the client. */
    public ClientChange withEnabled(boolean value) {
        enabled(value);
        return this;
    }

    /** The members given, in the order they were given, as the JSON body writes them. */
    @JsonValue
    Map<String, Object> members() {
        Map<String, Object> members = new LinkedHashMap<>();
        for (String member : present) {
            members.put(member, switch (member) {
                case "name" -> name;
                case "display_name" -> displayName;
                case "callback_uris" -> callbackUris;
                case "callback_username" -> callbackUsername;
                case "callback_password" -> callbackPassword;
                case "callback_on_scan" -> callbackOnScan;
                default -> enabled;
            });
        }
        return members;
    }

    /** Whether the member with this wire name, such as {@code display_name}, was given. */
    public boolean has(String member) {
        return present.contains(member);
    }

    /** Whether no member was given. */
    public boolean isEmpty() {
        return present.isEmpty();
    }

    public String name() {
        return name;
    }

    public String displayName() {
        return displayName;
    }

    public List<String> callbackUris() {
        return callbackUris;
    }

    public String callbackUsername() {
        return callbackUsername;
    }

    public String callbackPassword() {
        return callbackPassword;
    }

    public Boolean callbackOnScan() {
        return callbackOnScan;
    }

    public Boolean enabled() {
        return enabled;
    }
}
