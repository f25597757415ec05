package dev.qrauth.adminclient;

import dev.qrauth.protocol.admin.AuditPage;
import dev.qrauth.protocol.admin.ClientChange;
import dev.qrauth.protocol.admin.ClientView;
import dev.qrauth.protocol.admin.CreatedClient;
import dev.qrauth.protocol.admin.Disenrolled;
import dev.qrauth.protocol.admin.IssuedActivationCode;
import dev.qrauth.protocol.admin.MobileAuthTypeView;
import dev.qrauth.protocol.admin.NewClient;
import dev.qrauth.protocol.admin.NewUser;
import dev.qrauth.protocol.admin.RotatedSecrets;
import dev.qrauth.protocol.admin.SecretRotation;
import dev.qrauth.protocol.admin.UserList;
import dev.qrauth.protocol.admin.UserView;
import dev.qrauth.protocol.error.AdminError;
import dev.qrauth.protocol.json.ProtocolFormatException;
import dev.qrauth.protocol.json.ProtocolJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The token server's admin API ({@code docs/PROTOCOL.md}, "Admin API") in plain Java: mobile-auth
 * types, users and their activation codes, devices, API clients and the audit trail. The bodies
 * are the wire types of {@code dev.qrauth.protocol.admin}, which the server itself uses.
 *
 * <p>Every call authenticates with the admin's HTTP Basic credentials, does not follow redirects,
 * and either returns the documented answer or throws an {@link AdminClientException}: a refusal
 * carries the status and the server's error body. Thread-safe; one instance serves a whole program.
 *
 * <pre>{@code
 * AdminClient admin = AdminClient.builder(URI.create("http://127.0.0.1:8081"), "admin", password).build();
 * admin.createType(MobileAuthTypeView.otp("login", 120).withDefaultMessage("Log in"));
 * CreatedClient portal = admin.createClient(NewClient.of("shop", "The Shop", List.of(callbackUri)));
 * String code = admin.activationCode("alice").activationCode();
 * }</pre>
 */
public final class AdminClient {

    private static final String API = "/admin/api/v1";
    private static final Duration MAX_CONNECT = Duration.ofSeconds(5);

    private final HttpClient http;
    private final String baseUrl;
    private final String authorization;
    private final Duration requestTimeout;

    private AdminClient(Builder builder) {
        String base = builder.baseUrl.toString();
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (builder.username + ":" + builder.password).getBytes(StandardCharsets.UTF_8));
        this.requestTimeout = builder.timeout;
        // Connecting never gets longer than the whole call may take.
        Duration connect = builder.timeout.compareTo(MAX_CONNECT) < 0 ? builder.timeout : MAX_CONNECT;
        this.http = HttpClient.newBuilder().connectTimeout(connect).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * A client of the token server at {@code baseUrl} (such as {@code http://127.0.0.1:8081}; the
     * API paths are appended) with the admin's credentials ({@code tokenserver.admin.username} and
     * its password).
     */
    public static Builder builder(URI baseUrl, String username, String password) {
        Objects.requireNonNull(baseUrl, "baseUrl == null");
        boolean web = "http".equalsIgnoreCase(baseUrl.getScheme()) || "https".equalsIgnoreCase(baseUrl.getScheme());
        if (!web || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an http or https URL with a host: " + baseUrl);
        }
        if (Objects.requireNonNull(username, "username == null").contains(":")) {
            throw new IllegalArgumentException("username contains ':', which HTTP Basic cannot carry");
        }
        return new Builder(baseUrl, username, Objects.requireNonNull(password, "password == null"));
    }

    /** Configures an {@link AdminClient}: a call may take 30 seconds unless set, connecting at most 5 of them. */
    public static final class Builder {
        private final URI baseUrl;
        private final String username;
        private final String password;
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(URI baseUrl, String username, String password) {
            this.baseUrl = baseUrl;
            this.username = username;
            this.password = password;
        }

        /** The longest wait for the answer to one call, connecting included. */
        public Builder requestTimeout(Duration timeout) {
            if (Objects.requireNonNull(timeout, "timeout == null").isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        public AdminClient build() {
            return new AdminClient(this);
        }
    }

    // ---- mobile-auth types ----------------------------------------------------------------------

    /** Creates a type ({@code 409 conflict} when the name is taken) and returns it as the server stored it. */
    public MobileAuthTypeView createType(MobileAuthTypeView type) {
        Objects.requireNonNull(type, "type == null");
        return call("create mobile-auth type " + type.name(), "POST", API + "/mobile-auth-types", type, 201,
                MobileAuthTypeView.class);
    }

    /** Every type, by name. */
    public List<MobileAuthTypeView> types() {
        return List.of(call("list mobile-auth types", "GET", API + "/mobile-auth-types", null, 200,
                MobileAuthTypeView[].class));
    }

    /** Changes the members {@code change} holds (the others are {@code null}) and returns the type as changed. */
    public MobileAuthTypeView changeType(String name, MobileAuthTypeView change) {
        Objects.requireNonNull(change, "change == null");
        return call("change mobile-auth type " + name, "PATCH", API + "/mobile-auth-types/" + segment(name), change,
                200, MobileAuthTypeView.class);
    }

    public void deleteType(String name) {
        call("delete mobile-auth type " + name, "DELETE", API + "/mobile-auth-types/" + segment(name), null, 204,
                Void.class);
    }

    // ---- users and devices ----------------------------------------------------------------------

    /** Creates a user with a first activation code ({@code 409 conflict} when the user exists). */
    public IssuedActivationCode createUser(String userId) {
        return call("create user " + userId, "POST", API + "/users", new NewUser(userId), 201,
                IssuedActivationCode.class);
    }

    /** Another activation code for an existing user; codes issued before stay valid until they expire. */
    public IssuedActivationCode issueActivationCode(String userId) {
        return call("issue an activation code for " + userId, "POST",
                API + "/users/" + segment(userId) + "/activation-codes", null, 201, IssuedActivationCode.class);
    }

    /** An activation code for {@code userId}: the user is created when new, else issued another code. */
    public IssuedActivationCode activationCode(String userId) {
        try {
            return createUser(userId);
        } catch (AdminRefusedException e) {
            if (e.status() != 409) {
                throw e;
            }
            return issueActivationCode(userId);
        }
    }

    /** The user and the devices it is registered on. */
    public UserView user(String userId) {
        return call("read user " + userId, "GET", API + "/users/" + segment(userId), null, 200, UserView.class);
    }

    /** The first page of users in order of id. */
    public UserList users() {
        return call("list users", "GET", API + "/users", null, 200, UserList.class);
    }

    /**
     * A page of users whose id contains {@code search} ({@code null}: all), after the page that
     * answered {@code cursor} ({@code null}: the first), at most {@code limit} of them.
     */
    public UserList users(String search, String cursor, int limit) {
        StringBuilder query = new StringBuilder("?limit=").append(limit);
        if (search != null) {
            query.append("&q=").append(URLEncoder.encode(search, StandardCharsets.UTF_8));
        }
        if (cursor != null) {
            query.append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        }
        return call("list users", "GET", API + "/users" + query, null, 200, UserList.class);
    }

    /** Deletes a user with its registrations and unused activation codes; its audit events stay. */
    public void deleteUser(String userId) {
        call("delete user " + userId, "DELETE", API + "/users/" + segment(userId), null, 204, Void.class);
    }

    /** Disenrolls the user from mobile authentication on {@code deviceId}, or on all its devices when null. */
    public Disenrolled disenroll(String userId, UUID deviceId) {
        String query = deviceId == null ? "" : "?device_id=" + deviceId;
        return call("disenroll user " + userId, "POST", API + "/users/" + segment(userId) + "/disenroll" + query,
                null, 200, Disenrolled.class);
    }

    /** Deregisters a device and every user on it. */
    public void deleteDevice(UUID deviceId) {
        Objects.requireNonNull(deviceId, "deviceId == null");
        call("delete device " + deviceId, "DELETE", API + "/devices/" + deviceId, null, 204, Void.class);
    }

    /** Removes one user from a device; the device and its other users stay. */
    public void removeUserFromDevice(String userId, UUID deviceId) {
        Objects.requireNonNull(deviceId, "deviceId == null");
        call("remove user " + userId + " from device " + deviceId, "DELETE",
                API + "/users/" + segment(userId) + "/devices/" + deviceId, null, 204, Void.class);
    }

    /** A page of the audit trail, newest first. */
    public AuditPage audit(AuditQuery query) {
        Objects.requireNonNull(query, "query == null");
        return call("read the audit trail", "GET", API + "/audit" + query.queryString(), null, 200, AuditPage.class);
    }

    // ---- API clients ----------------------------------------------------------------------------

    /** Creates an API client; the answer holds its secrets, which the server shows only this once. */
    public CreatedClient createClient(NewClient client) {
        Objects.requireNonNull(client, "client == null");
        return call("create API client " + client.name(), "POST", API + "/clients", client, 201, CreatedClient.class);
    }

    /** Every API client, by name. */
    public List<ClientView> clients() {
        return List.of(call("list API clients", "GET", API + "/clients", null, 200, ClientView[].class));
    }

    public ClientView client(String clientId) {
        return call("read API client " + clientId, "GET", API + "/clients/" + segment(clientId), null, 200,
                ClientView.class);
    }

    /** Applies the members {@code change} holds and returns the client as changed. */
    public ClientView changeClient(String clientId, ClientChange change) {
        Objects.requireNonNull(change, "change == null");
        return call("change API client " + clientId, "PATCH", API + "/clients/" + segment(clientId), change, 200,
                ClientView.class);
    }

    /** New secrets for the client, shown only this once; the replaced ones last for the rotation's overlap. */
    public RotatedSecrets rotateSecrets(String clientId, SecretRotation rotation) {
        Objects.requireNonNull(rotation, "rotation == null");
        return call("rotate the secrets of API client " + clientId, "POST",
                API + "/clients/" + segment(clientId) + "/secrets", rotation, 201, RotatedSecrets.class);
    }

    /** Deletes a client ({@code 409 conflict} while it has open transactions: disable it first). */
    public void deleteClient(String clientId) {
        call("delete API client " + clientId, "DELETE", API + "/clients/" + segment(clientId), null, 204, Void.class);
    }

    // ---- the exchange ---------------------------------------------------------------------------

    /** Sends {@code body} (none when null) as JSON; the answer read as {@code type} when it has {@code success}. */
    private <T> T call(String call, String method, String path, Object body, int success, Class<T> type) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(requestTimeout)
                .header("Authorization", authorization)
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(ProtocolJson.write(body)));
        }
        HttpResponse<byte[]> response = send(call, request.build());
        int status = response.statusCode();
        if (status == success) {
            return type == Void.class ? null : read(call, response, type);
        }
        if (status >= 200 && status < 300) {
            throw new UnexpectedAdminAnswerException("the token server answered " + call + " with HTTP " + status
                    + " instead of " + success, status, null);
        }
        throw new AdminRefusedException(call, status, errorBody(response), retryAfter(response));
    }

    private HttpResponse<byte[]> send(String call, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new AdminUnreachableException("the token server at " + baseUrl + " did not answer in time to "
                    + call, true, e);
        } catch (IOException e) {
            throw new AdminUnreachableException("the token server at " + baseUrl + " could not be reached to "
                    + call + ": " + e, false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminUnreachableException("interrupted while waiting for the token server to " + call,
                    false, e);
        }
    }

    private static <T> T read(String call, HttpResponse<byte[]> response, Class<T> type) {
        try {
            T value = ProtocolJson.read(response.body(), type);
            if (value != null) {
                return value;
            }
        } catch (ProtocolFormatException e) {
            throw new UnexpectedAdminAnswerException("the token server answered " + call + " with an unreadable "
                    + type.getSimpleName(), response.statusCode(), e);
        }
        throw new UnexpectedAdminAnswerException("the token server answered " + call + " with null",
                response.statusCode(), null);
    }

    /** The admin API's error body, or, from something that is not the token server, the start of what it sent. */
    private static AdminError errorBody(HttpResponse<byte[]> response) {
        try {
            AdminError error = ProtocolJson.read(response.body(), AdminError.class);
            if (error != null && (error.error() != null || error.errorMessage() != null)) {
                return error;
            }
        } catch (ProtocolFormatException notTheErrorBody) {
            // shown as text below
        }
        return new AdminError(null, new String(response.body(), StandardCharsets.UTF_8));
    }

    private static Duration retryAfter(HttpResponse<byte[]> response) {
        return response.headers().firstValue("Retry-After")
                .filter(value -> value.matches("\\d{1,6}"))
                .map(value -> Duration.ofSeconds(Long.parseLong(value)))
                .orElse(null);
    }

    /** One path segment: every character but the unreserved ones percent-encoded. */
    private static String segment(String value) {
        Objects.requireNonNull(value, "path segment == null");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("empty path segment");
        }
        if (value.equals(".") || value.equals("..")) {
            // A dot segment would be resolved away and name another resource.
            return value.replace(".", "%2E");
        }
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
    }
}
