package dev.qrauth.tokenserver.admin;

import dev.qrauth.tokenserver.TokenServerConfig;
import dev.qrauth.tokenserver.error.AdminApiException;
import dev.qrauth.protocol.http.BasicCredentials;
import dev.qrauth.tokenserver.security.CredentialVerifier;
import dev.qrauth.tokenserver.security.CredentialVerifier.Principal;
import dev.qrauth.tokenserver.security.CredentialVerifier.Verdict;
import dev.qrauth.tokenserver.security.CredentialsRefused;
import dev.qrauth.tokenserver.security.PrivateFiles;
import dev.qrauth.tokenserver.security.Roles;
import dev.qrauth.tokenserver.security.SecretHasher;
import dev.qrauth.tokenserver.security.Secrets;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The admin's credentials: {@code tokenserver.admin.username} with either the configured
 * {@code tokenserver.admin.password} or, when none is configured, a password generated at the
 * first start and stored as an Argon2id hash. The generated password is written to
 * {@code <tokenserver.data-dir>/admin-password}, readable by its owner only; the log names the
 * file, never the password.
 *
 * <p>The identity provider of the admin API ({@link AdminCredentialsMechanism}) and of the
 * operator endpoints ({@link OperatorEndpoints}): the admin's credentials give the role
 * {@link Roles#ADMIN}; anything else is refused with the admin API's own error.
 */
@ApplicationScoped
public class AdminAuthentication implements IdentityProvider<AdminCredentialsRequest> {

    private static final Logger LOG = Logger.getLogger(AdminAuthentication.class);
    /** Where a generated admin password is written, inside {@code tokenserver.data-dir}. */
    public static final String PASSWORD_FILE = "admin-password";

    @Inject
    TokenServerConfig config;

    @Inject
    SecretHasher hasher;

    @Inject
    CredentialVerifier verifier;

    @Inject
    EntityManager entities;

    void generatePasswordIfNeeded(@Observes StartupEvent event) {
        if (configuredPassword().isPresent()) {
            return;
        }
        String generated = Secrets.token(18);
        int inserted = QuarkusTransaction.requiringNew().call(() -> entities.createNativeQuery(
                        "INSERT INTO admin_credential (username, password_hash, created_at) VALUES (?1, ?2, ?3) "
                                + "ON CONFLICT (username) DO NOTHING")
                .setParameter(1, config.admin().username())
                .setParameter(2, hasher.hash(generated))
                .setParameter(3, Instant.now())
                .executeUpdate());
        if (inserted == 1) {
            Path file = PrivateFiles.createDirectory(config.dataDir().toAbsolutePath().normalize()).resolve(PASSWORD_FILE);
            PrivateFiles.replaceSecret(file, generated);
            LOG.warnf("%n%n  Generated a password for the admin user '%s' and wrote it to %s (readable by its owner only)."
                    + "%n  The server keeps only its hash: move it somewhere safe and delete the file. Set"
                    + " tokenserver.admin.password to choose your own.%n", config.admin().username(), file);
        }
    }

    @Override
    public Class<AdminCredentialsRequest> getRequestType() {
        return AdminCredentialsRequest.class;
    }

    /**
     * The user name and the password are both always checked, and an unknown user name costs
     * what the admin's does, so neither the answer nor its timing tells the admin's name.
     * Checking may hash a password and read the database: never on the event loop.
     */
    @Override
    public Uni<SecurityIdentity> authenticate(AdminCredentialsRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> identity(verdict(request.authorization())));
    }

    private SecurityIdentity identity(Verdict verdict) {
        if (verdict instanceof Verdict.Throttled throttled) {
            throw CredentialsRefused.by(new AdminApiException(AdminApiException.Code.RATE_LIMITED,
                    "Too many failed authentications; try again later", throttled.retryAfterSeconds()));
        }
        if (!(verdict instanceof Verdict.Accepted)) {
            throw CredentialsRefused.by(unauthorized());
        }
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(config.admin().username()))
                .addRole(Roles.ADMIN)
                .build();
    }

    /**
     * Whether an {@code Authorization} header carries the admin's credentials, or the budget of
     * failures is spent (blocking: it may hash and read the database).
     */
    Verdict verdict(String authorization) {
        BasicCredentials credentials = BasicCredentials.parse(authorization).orElse(null);
        if (credentials == null) {
            return new Verdict.Refused();
        }
        String username = config.admin().username();
        boolean knownName = constantTimeEquals(credentials.username(), username);
        Optional<String> configured = configuredPassword();
        if (configured.isPresent()) {
            return verifier.verifyConfigured(Principal.ADMIN, credentials.username(), credentials.password(),
                    configured.get(), knownName);
        }
        // The admin's row is read whatever name was given, so an unknown name costs the same query.
        AdminCredential stored = QuarkusTransaction.joiningExisting().call(
                () -> entities.find(AdminCredential.class, username));
        return verifier.verify(Principal.ADMIN, credentials.username(), credentials.password(),
                knownName && stored != null ? stored.passwordHash : null);
    }

    /** The configured admin password, when there is one that is not blank. */
    private Optional<String> configuredPassword() {
        return config.admin().password().filter(p -> !p.isBlank());
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(Secrets.sha256Hex(a).getBytes(StandardCharsets.US_ASCII),
                Secrets.sha256Hex(b).getBytes(StandardCharsets.US_ASCII));
    }

    private static AdminApiException unauthorized() {
        return new AdminApiException(AdminApiException.Code.UNAUTHORIZED, "Admin credentials required");
    }
}
