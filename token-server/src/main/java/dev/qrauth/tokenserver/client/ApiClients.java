package dev.qrauth.tokenserver.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qrauth.protocol.admin.ClientChange;
import dev.qrauth.protocol.admin.ClientView;
import dev.qrauth.protocol.admin.CreatedClient;
import dev.qrauth.protocol.admin.NewClient;
import dev.qrauth.protocol.admin.RotatedSecrets;
import dev.qrauth.protocol.admin.SecretRotation;
import dev.qrauth.protocol.error.PortalErrorCode;
import dev.qrauth.protocol.text.DisplayText;
import dev.qrauth.tokenserver.TokenServerConfig;
import dev.qrauth.tokenserver.audit.AuditLog;
import dev.qrauth.tokenserver.audit.AuditLog.Subject;
import dev.qrauth.tokenserver.audit.AuditType;
import dev.qrauth.tokenserver.error.AdminApiException;
import dev.qrauth.tokenserver.error.ClientAuthenticationConflictException;
import dev.qrauth.tokenserver.error.InvalidClientException;
import dev.qrauth.tokenserver.error.PortalApiException;
import dev.qrauth.protocol.http.BasicCredentials;
import dev.qrauth.tokenserver.security.CredentialVerifier;
import dev.qrauth.tokenserver.security.CredentialVerifier.Principal;
import dev.qrauth.tokenserver.security.CredentialVerifier.Verdict;
import dev.qrauth.tokenserver.security.MasterKey;
import dev.qrauth.tokenserver.security.SecretHasher;
import dev.qrauth.tokenserver.security.Secrets;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
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

    /** The longest overlap a rotation may ask for. */
    public static final Duration MAX_OVERLAP = Duration.ofDays(30);

    private final SecretHasher hasher;
    private final CredentialVerifier verifier;
    private final MasterKey masterKey;
    private final AuditLog audit;
    private final OpenTransactions transactions;
    private final EntityManager entities;
    private final Duration defaultOverlap;

    ApiClients(SecretHasher hasher, CredentialVerifier verifier, MasterKey masterKey, AuditLog audit,
               OpenTransactions transactions, EntityManager entities,
               TokenServerConfig config) {
        this.hasher = hasher;
        this.verifier = verifier;
        this.masterKey = masterKey;
        this.audit = audit;
        this.transactions = transactions;
        this.entities = entities;
        this.defaultOverlap = config.clientSecret().overlap();
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
        client.enabled = true;
        client.persist();
        audit.record(AuditType.CLIENT_CREATED, Subject.admin().onClient(client.clientId), client.name);
        return new CreatedClient(client.clientId, secret, signingSecret);
    }

    /** Every client, ordered by name. */
    @Transactional
    public List<ClientView> list() {
        return ApiClient.<ApiClient>listAll(Sort.by("name")).stream().map(ApiClients::viewOf).toList();
    }

    @Transactional
    public ClientView view(String clientId) {
        return viewOf(existing(clientId, false));
    }

    /**
     * Applies a change. Disabling also cancels the client's open transactions, in the same
     * database transaction, so nothing it started can still be answered.
     */
    @Transactional
    public ClientView update(String clientId, ClientChange change) {
        validate(change);
        ApiClient client = existing(clientId, true);
        List<String> changed = new ArrayList<>();
        if (change.has("name") && !change.name().equals(client.name)) {
            if (ApiClient.count("name = ?1 and clientId <> ?2", change.name(), clientId) > 0) {
                throw AdminApiException.conflict("A client with that name exists");
            }
            client.name = change.name();
            changed.add("name");
        }
        if (change.has("display_name") && !change.displayName().equals(client.displayName)) {
            client.displayName = change.displayName();
            changed.add("display_name");
        }
        if (change.has("callback_uris")) {
            String[] uris = new LinkedHashSet<>(change.callbackUris()).toArray(String[]::new);
            if (!Arrays.equals(uris, client.callbackUris)) {
                client.callbackUris = uris;
                changed.add("callback_uris");
            }
        }
        if (change.has("callback_username")) {
            // Always counted as a change: the password cannot be compared without decrypting it.
            client.callbackUsername = change.callbackUsername();
            client.callbackPassword = change.callbackPassword() == null ? null
                    : masterKey.encrypt(ApiClient.callbackPasswordPurpose(clientId), change.callbackPassword());
            changed.add("callback_credentials");
        }
        if (change.has("callback_on_scan") && change.callbackOnScan() != client.callbackOnScan) {
            client.callbackOnScan = change.callbackOnScan();
            changed.add("callback_on_scan");
        }
        Subject subject = Subject.admin().onClient(clientId);
        Instant now = Instant.now();
        if (!changed.isEmpty()) {
            audit.record(AuditType.CLIENT_UPDATED, subject, "changed " + String.join(", ", changed));
        }
        if (change.has("enabled") && change.enabled() != client.enabled) {
            client.enabled = change.enabled();
            if (client.enabled) {
                audit.record(AuditType.CLIENT_ENABLED, subject, null);
            } else {
                int cancelled = transactions.cancelOpen(clientId, subject.actor(), "client disabled");
                audit.record(AuditType.CLIENT_DISABLED, subject, cancelled + " open transactions cancelled");
            }
            changed.add("enabled");
        }
        if (!changed.isEmpty()) {
            client.updatedAt = now;
        }
        return viewOf(client);
    }

    /**
     * New client and callback signing secrets. The replaced ones stay valid for the overlap: the
     * old client secret authenticates and callbacks carry a signature with each signing secret.
     * Secrets replaced by an earlier rotation stop at once.
     */
    @Transactional
    public RotatedSecrets rotate(String clientId, SecretRotation request) {
        Duration overlap = defaultOverlap;
        if (request != null && request.overlapSeconds() != null) {
            // Read as a node: a fraction or a quoted number must be refused, not rounded or parsed.
            JsonNode seconds = request.overlapSeconds();
            if (!seconds.isIntegralNumber() || !seconds.canConvertToLong() || seconds.longValue() < 0
                    || seconds.longValue() > MAX_OVERLAP.toSeconds()) {
                throw AdminApiException.invalid("overlap_seconds must be a whole number from 0 to "
                        + MAX_OVERLAP.toSeconds());
            }
            overlap = Duration.ofSeconds(seconds.longValue());
        }
        ApiClient client = existing(clientId, true);
        Instant now = Instant.now();
        String secret = Secrets.token(32);
        String signingSecret = Secrets.token(32);
        if (overlap.isZero()) {
            client.previousSecretHash = null;
            client.previousCallbackSigningSecret = null;
            client.previousSecretsUntil = null;
        } else {
            client.previousSecretHash = client.secretHash;
            client.previousCallbackSigningSecret = client.callbackSigningSecret;
            client.previousSecretsUntil = now.plus(overlap).truncatedTo(ChronoUnit.MICROS);
        }
        client.secretHash = hasher.hash(secret);
        client.callbackSigningSecret = masterKey.encrypt(ApiClient.signingSecretPurpose(clientId), signingSecret);
        client.updatedAt = now;
        audit.record(AuditType.CLIENT_SECRETS_ROTATED, Subject.admin().onClient(clientId),
                "overlap " + overlap.toSeconds() + " s");
        return new RotatedSecrets(clientId, secret, signingSecret, client.previousSecretsUntil);
    }

    /**
     * Deletes a client with its finished transactions and callbacks (the audit trail is kept).
     * A client with open transactions is refused: disabling it first cancels them.
     */
    @Transactional
    public void delete(String clientId) {
        existing(clientId, true);
        if (transactions.hasOpen(clientId)) {
            throw AdminApiException.conflict("The client has open transactions: disable it first, which cancels them, "
                    + "or wait until they end");
        }
        ApiClient.deleteById(clientId);
        audit.record(AuditType.CLIENT_DELETED, Subject.admin().onClient(clientId), null);
    }

    /** The client as the admin API shows it: never a secret. */
    private static ClientView viewOf(ApiClient client) {
        return new ClientView(client.clientId, client.name, client.displayName, List.of(client.callbackUris),
                client.callbackUsername, client.callbackOnScan, client.enabled,
                client.inOverlap(Instant.now()) ? client.previousSecretsUntil : null,
                client.createdAt, client.updatedAt);
    }

    private ApiClient existing(String clientId, boolean forUpdate) {
        ApiClient client = forUpdate ? entities.find(ApiClient.class, clientId, LockModeType.PESSIMISTIC_WRITE)
                : ApiClient.findById(clientId);
        if (client == null) {
            throw AdminApiException.notFound("No such client");
        }
        return client;
    }

    /**
     * The client whose credentials the request carries: in the Basic {@code authorization}
     * header, or as {@code client_id} and {@code client_secret} in the url-encoded form (RFC 6749,
     * section 2.3.1). Both kinds are checked alike, under the same failure budgets. Called by
     * {@link ClientAuthentication} for the resources that ask for the role, and by the hot path's
     * full path for initiation and the result read.
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
        // A replaced secret is passed only while its overlap lasts; after that it is unknown.
        Verdict verdict = verifier.verify(Principal.CLIENT, credentials.username(), credentials.password(),
                client == null ? null : client.secretHash,
                client != null && client.inOverlap(Instant.now()) ? client.previousSecretHash : null);
        if (verdict instanceof Verdict.Throttled throttled) {
            throw new PortalApiException(PortalErrorCode.RATE_LIMITED,
                    "Too many failed client authentications; try again later", throttled.retryAfterSeconds());
        }
        if (!(verdict instanceof Verdict.Accepted)) {
            throw new InvalidClientException("Client authentication failed");
        }
        if (!client.enabled) {
            // The row is read on every request, so this holds at once on every node, whatever
            // any node remembers of the secret. Not counted as a failure: the secret was right.
            throw new InvalidClientException("Client authentication failed");
        }
        return client;
    }

    private static void validate(NewClient request) {
        checkName(request.name());
        checkDisplayName(request.displayName());
        checkCallbackUris(request.callbackUris());
        checkCallbackCredentials(request.callbackUsername(), request.callbackPassword());
    }

    private static void validate(ClientChange change) {
        if (change == null || change.isEmpty()) {
            throw AdminApiException.invalid("A JSON object with at least one member to change is required");
        }
        if (change.has("name")) {
            checkName(change.name());
        }
        if (change.has("display_name")) {
            checkDisplayName(change.displayName());
        }
        if (change.has("callback_uris")) {
            checkCallbackUris(change.callbackUris());
        }
        if (change.has("callback_username") != change.has("callback_password")) {
            throw AdminApiException.invalid("callback_username and callback_password go together: give both, "
                    + "or both null to remove them");
        }
        if (change.has("callback_username")) {
            checkCallbackCredentials(change.callbackUsername(), change.callbackPassword());
        }
        if (change.has("callback_on_scan") && change.callbackOnScan() == null) {
            throw AdminApiException.invalid("callback_on_scan must be true or false");
        }
        if (change.has("enabled") && change.enabled() == null) {
            throw AdminApiException.invalid("enabled must be true or false");
        }
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw AdminApiException.invalid("name must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    private static void checkDisplayName(String displayName) {
        if (displayName == null || displayName.isBlank() || displayName.length() > MAX_DISPLAY_NAME) {
            throw AdminApiException.invalid("display_name must be 1 to " + MAX_DISPLAY_NAME + " characters");
        }
        if (!DisplayText.isSingleLine(displayName)) {
            // The phone shows it as the portal's name: it must not hide or fake anything.
            throw AdminApiException.invalid("display_name must not contain control or format characters "
                    + "(such as ESC, CR, newline, bidi overrides or zero-width characters)");
        }
    }

    private static void checkCallbackUris(List<String> callbackUris) {
        if (callbackUris == null || callbackUris.size() > MAX_CALLBACK_URIS) {
            throw AdminApiException.invalid("callback_uris must be a list of at most " + MAX_CALLBACK_URIS
                    + " URIs (an empty list allows any http or https URI)");
        }
        for (String uri : callbackUris) {
            String problem = CallbackUris.problem(uri);
            if (problem != null) {
                throw AdminApiException.invalid("callback_uris: every entry " + problem);
            }
        }
    }

    private static void checkCallbackCredentials(String username, String password) {
        boolean hasUser = username != null;
        boolean hasPassword = password != null;
        if (hasUser != hasPassword) {
            throw AdminApiException.invalid("callback_username and callback_password go together");
        }
        if (hasUser && (username.isEmpty() || username.contains(":")
                || username.length() > MAX_CALLBACK_CREDENTIAL
                || password.isEmpty()
                || password.length() > MAX_CALLBACK_CREDENTIAL)) {
            throw AdminApiException.invalid("callback credentials must be 1 to " + MAX_CALLBACK_CREDENTIAL
                    + " characters, and the username must not contain ':'");
        }
    }
}
