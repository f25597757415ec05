package dev.qrauth.tokenserver.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.qrauth.protocol.error.PortalErrorCode;
import dev.qrauth.protocol.text.DisplayText;
import dev.qrauth.tokenserver.audit.AuditLog;
import dev.qrauth.tokenserver.audit.AuditLog.Subject;
import dev.qrauth.tokenserver.audit.AuditType;
import dev.qrauth.tokenserver.error.AdminApiException;
import dev.qrauth.tokenserver.error.ClientAuthenticationConflictException;
import dev.qrauth.tokenserver.error.InvalidClientException;
import dev.qrauth.tokenserver.error.PortalApiException;
import dev.qrauth.tokenserver.security.BasicCredentials;
import dev.qrauth.tokenserver.security.CredentialVerifier;
import dev.qrauth.tokenserver.security.CredentialVerifier.Principal;
import dev.qrauth.tokenserver.security.CredentialVerifier.Verdict;
import dev.qrauth.tokenserver.security.MasterKey;
import dev.qrauth.tokenserver.security.SecretHasher;
import dev.qrauth.tokenserver.security.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** API clients: created by the admin, authenticated on every portal API call. */
@ApplicationScoped
public class ApiClients {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final int MAX_DISPLAY_NAME = 128;
    private static final int MAX_CALLBACK_URIS = 100;
    private static final int MAX_CALLBACK_CREDENTIAL = 256;

    /** The admin API's request to create a client. */
    public record NewClient(
            @JsonProperty("name") String name,
            @JsonProperty("display_name") String displayName,
            @JsonProperty("callback_uris") List<String> callbackUris,
            @JsonProperty("callback_username") String callbackUsername,
            @JsonProperty("callback_password") String callbackPassword,
            @JsonProperty("callback_on_scan") Boolean callbackOnScan) {
    }

    /** The secrets of a new client, shown once. */
    public record CreatedClient(
            @JsonProperty("client_id") String clientId,
            @JsonProperty("client_secret") String clientSecret,
            @JsonProperty("callback_signing_secret") String callbackSigningSecret) {
    }

    /** A client as the admin API shows it: never a secret. */
    public record ClientView(
            @JsonProperty("client_id") String clientId,
            @JsonProperty("name") String name,
            @JsonProperty("display_name") String displayName,
            @JsonProperty("callback_uris") List<String> callbackUris,
            @JsonProperty("callback_username") String callbackUsername,
            @JsonProperty("callback_on_scan") boolean callbackOnScan,
            @JsonProperty("created_at") Instant createdAt) {

        static ClientView of(ApiClient client) {
            return new ClientView(client.clientId, client.name, client.displayName, List.of(client.callbackUris),
                    client.callbackUsername, client.callbackOnScan, client.createdAt);
        }
    }

    private final SecretHasher hasher;
    private final CredentialVerifier verifier;
    private final MasterKey masterKey;
    private final AuditLog audit;

    ApiClients(SecretHasher hasher, CredentialVerifier verifier, MasterKey masterKey, AuditLog audit) {
        this.hasher = hasher;
        this.verifier = verifier;
        this.masterKey = masterKey;
        this.audit = audit;
    }

    @Transactional
    public CreatedClient create(NewClient request) {
        validate(request);
        if (ApiClient.count("name", request.name()) > 0) {
            throw AdminApiException.conflict("A client with that name exists");
        }
        ApiClient client = new ApiClient();
        client.clientId = Secrets.token(16);
        client.name = request.name();
        client.displayName = request.displayName();
        String secret = Secrets.token(32);
        String signingSecret = Secrets.token(32);
        client.secretHash = hasher.hash(secret);
        client.callbackSigningSecret = masterKey.encrypt(ApiClient.signingSecretPurpose(client.clientId), signingSecret);
        client.callbackUris = new LinkedHashSet<>(request.callbackUris()).toArray(String[]::new);
        client.callbackUsername = request.callbackUsername();
        client.callbackPassword = request.callbackPassword() == null ? null
                : masterKey.encrypt(ApiClient.callbackPasswordPurpose(client.clientId), request.callbackPassword());
        client.callbackOnScan = Boolean.TRUE.equals(request.callbackOnScan());
        client.createdAt = Instant.now();
        client.persist();
        audit.record(AuditType.CLIENT_CREATED, Subject.admin().onClient(client.clientId), client.name);
        return new CreatedClient(client.clientId, secret, signingSecret);
    }

    @Transactional
    public ClientView view(String clientId) {
        ApiClient client = ApiClient.findById(clientId);
        if (client == null) {
            throw AdminApiException.notFound("No such client");
        }
        return ClientView.of(client);
    }

    @Transactional
    public void delete(String clientId) {
        if (!ApiClient.deleteById(clientId)) {
            throw AdminApiException.notFound("No such client");
        }
        audit.record(AuditType.CLIENT_DELETED, Subject.admin().onClient(clientId), null);
    }

    /**
     * The client whose Basic credentials {@code authorization} carries.
     *
     * @throws InvalidClientException for absent, unknown or wrong credentials
     * @throws PortalApiException       RATE_LIMITED when the client id or the caller's address
     *                                  has spent its budget of failed authentications
     */
    @Transactional
    public ApiClient authenticate(String authorization) {
        return authenticate(authorization, null, null);
    }

    /**
     * The client whose credentials the request carries: in the Basic {@code authorization}
     * header, or as {@code client_id} and {@code client_secret} in the url-encoded form (RFC 6749,
     * section 2.3.1). Both kinds are checked alike, under the same failure budgets.
     *
     * @throws ClientAuthenticationConflictException when the request uses both ways at once
     * @throws InvalidClientException for absent, unknown or wrong credentials
     * @throws PortalApiException       RATE_LIMITED when the client id or the caller's address
     *                                  has spent its budget of failed authentications
     */
    @Transactional
    public ApiClient authenticate(String authorization, String formClientId, String formClientSecret) {
        boolean inForm = formClientId != null || formClientSecret != null;
        if (inForm && authorization != null) {
            // RFC 6749, 2.3: one method per request; which one was meant cannot be guessed.
            throw new ClientAuthenticationConflictException();
        }
        BasicCredentials credentials = (inForm ? BasicCredentials.fromForm(formClientId, formClientSecret)
                : BasicCredentials.parse(authorization))
                .orElseThrow(() -> new InvalidClientException("Client authentication failed"));
        ApiClient client = ApiClient.findById(credentials.username());
        Verdict verdict = verifier.verify(Principal.CLIENT, credentials.username(), credentials.password(),
                client == null ? null : client.secretHash);
        if (verdict instanceof Verdict.Throttled throttled) {
            throw new PortalApiException(PortalErrorCode.RATE_LIMITED,
                    "Too many failed client authentications; try again later", throttled.retryAfterSeconds());
        }
        if (!(verdict instanceof Verdict.Accepted)) {
            throw new InvalidClientException("Client authentication failed");
        }
        return client;
    }

    private static void validate(NewClient request) {
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            throw AdminApiException.invalid("name must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (request.displayName() == null || request.displayName().isBlank()
                || request.displayName().length() > MAX_DISPLAY_NAME) {
            throw AdminApiException.invalid("display_name must be 1 to " + MAX_DISPLAY_NAME + " characters");
        }
        if (!DisplayText.isSingleLine(request.displayName())) {
            // The phone shows it as the portal's name: it must not hide or fake anything.
            throw AdminApiException.invalid("display_name must not contain control or format characters "
                    + "(such as ESC, CR, newline, bidi overrides or zero-width characters)");
        }
        if (request.callbackUris() == null || request.callbackUris().size() > MAX_CALLBACK_URIS) {
            throw AdminApiException.invalid("callback_uris must be a list of at most " + MAX_CALLBACK_URIS
                    + " URIs (an empty list allows any http or https URI)");
        }
        for (String uri : request.callbackUris()) {
            String problem = CallbackUris.problem(uri);
            if (problem != null) {
                throw AdminApiException.invalid("callback_uris: every entry " + problem);
            }
        }
        boolean hasUser = request.callbackUsername() != null;
        boolean hasPassword = request.callbackPassword() != null;
        if (hasUser != hasPassword) {
            throw AdminApiException.invalid("callback_username and callback_password go together");
        }
        if (hasUser && (request.callbackUsername().isEmpty() || request.callbackUsername().contains(":")
                || request.callbackUsername().length() > MAX_CALLBACK_CREDENTIAL
                || request.callbackPassword().isEmpty()
                || request.callbackPassword().length() > MAX_CALLBACK_CREDENTIAL)) {
            throw AdminApiException.invalid("callback credentials must be 1 to " + MAX_CALLBACK_CREDENTIAL
                    + " characters, and the username must not contain ':'");
        }
    }
}
