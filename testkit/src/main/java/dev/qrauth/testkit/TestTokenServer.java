package dev.qrauth.testkit;

import dev.qrauth.adminclient.AdminClient;
import dev.qrauth.protocol.admin.CreatedClient;
import dev.qrauth.protocol.admin.MobileAuthTypeView;
import dev.qrauth.protocol.admin.NewClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A throw-away token server for a portal's end-to-end tests: started from its jar on a free
 * loopback port with its own embedded PostgreSQL in a temporary directory, seeded with one API
 * client and mobile-auth types, and deleted by {@link #close()}.
 *
 * <p>Configure the portal under test with {@link #url()}, {@link #clientId()},
 * {@link #clientSecret()} and {@link #callbackSigningSecret()}, and answer its QR codes with a
 * {@link #newPhone() virtual phone}. {@link #url()} is a recording pass-through to the server, so
 * that {@link VirtualPhone#approveNext(String)} can answer a login whose QR code the test never
 * sees.
 *
 * <pre>{@code
 * try (TestTokenServer server = TestTokenServer.start()) {
 *     // start the portal with server.url(), server.clientId(), server.clientSecret() ...
 *     VirtualPhone phone = server.newPhone();
 *     phone.enroll("alice");
 *     // open the login page, then:
 *     phone.approveNext("alice");
 * }
 * }</pre>
 *
 * <p>The server is for tests only: it hashes secrets with cheap parameters, lets callbacks go to
 * loopback addresses, and its master key and admin password live and die with it.
 */
public final class TestTokenServer implements AutoCloseable {

    /** The system property naming the token server's jar. */
    public static final String JAR_PROPERTY = "qrauth.token-server.jar";
    /** The environment variable naming the token server's jar, when the property is not set. */
    public static final String JAR_ENVIRONMENT = "QRAUTH_TOKEN_SERVER_JAR";

    private final ServerProcess process;
    private final AdminClient admin;
    private final PortalApiRecorder recorder;
    private final CreatedClient client;
    private final List<AuthType> types;
    private final Duration answerTimeout;

    private TestTokenServer(ServerProcess process, AdminClient admin, PortalApiRecorder recorder, CreatedClient client,
                            List<AuthType> types, Duration answerTimeout) {
        this.process = process;
        this.admin = admin;
        this.recorder = recorder;
        this.client = client;
        this.types = types;
        this.answerTimeout = answerTimeout;
    }

    /** A server with the default client and the types {@link AuthType#LOGIN} and {@link AuthType#APPROVAL}. */
    public static TestTokenServer start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The URL to give the portal under test as the token server's address. */
    public URI url() {
        return recorder.uri();
    }

    /** The token server itself, without the recording pass-through; phones use it. */
    public URI directUrl() {
        return process.uri();
    }

    /** The API client's id (Basic user name of the portal API). */
    public String clientId() {
        return client.clientId();
    }

    /** The API client's secret (Basic password of the portal API). */
    public String clientSecret() {
        return client.clientSecret();
    }

    /** The secret that signs callbacks to the portal ({@code X-Signature}). */
    public String callbackSigningSecret() {
        return client.callbackSigningSecret();
    }

    /** The mobile-auth types the server was seeded with. */
    public List<AuthType> types() {
        return types;
    }

    /**
     * The server's admin API, signed in as its admin: for a test that needs more users, types or
     * clients than the kit seeds, or reads the audit trail.
     */
    public AdminClient admin() {
        return admin;
    }

    /** A new phone with nothing on it; {@link VirtualPhone#enroll(String)} readies it for a user. */
    public VirtualPhone newPhone() {
        return VirtualPhone.builder(process.uri()).admin(admin).recorder(recorder).answerTimeout(answerTimeout).build();
    }

    /** The server's process, for tests of how it was started. */
    ProcessHandle serverProcess() {
        return process.handle();
    }

    /** The last lines of the server's log, for a failing test's message. */
    public String log() {
        return process.log();
    }

    /** Stops the server and its database, and deletes its data. */
    @Override
    public void close() {
        try {
            recorder.close();
        } finally {
            process.close();
        }
    }

    /** Options of the server to start; every one has a default. */
    public static final class Builder {

        private Path jar;
        private final List<AuthType> types = new ArrayList<>();
        private final List<String> callbackUris = new ArrayList<>();
        private String portalName = "Test Portal";
        private boolean callbackOnScan;
        private Duration answerTimeout = Duration.ofSeconds(15);
        private final Map<String, String> serverProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * The token server's jar ({@code token-server/target/quarkus-app/quarkus-run.jar} of a
         * build). By default the system property {@value #JAR_PROPERTY}, else the environment
         * variable {@value #JAR_ENVIRONMENT}.
         */
        public Builder jar(Path jar) {
            this.jar = Objects.requireNonNull(jar, "jar == null");
            return this;
        }

        /** A mobile-auth type to create; once any is given, the default two are not created. */
        public Builder type(AuthType type) {
            types.add(Objects.requireNonNull(type, "type == null"));
            return this;
        }

        /** The name the phone shows as the portal that asks. Default "Test Portal". */
        public Builder portalName(String portalName) {
            this.portalName = Objects.requireNonNull(portalName, "portalName == null");
            return this;
        }

        /**
         * Restricts the client's callbacks to these URIs. Without any, the portal may name any
         * callback URI, loopback included.
         */
        public Builder callbackUri(String callbackUri) {
            callbackUris.add(Objects.requireNonNull(callbackUri, "callbackUri == null"));
            return this;
        }

        /** Also send a callback when a phone scans a code, not only when it answers. */
        public Builder callbackOnScan(boolean callbackOnScan) {
            this.callbackOnScan = callbackOnScan;
            return this;
        }

        /** How long a phone waits for a request and its answer before it gives up. Default 15 s. */
        public Builder answerTimeout(Duration answerTimeout) {
            if (answerTimeout.isNegative() || answerTimeout.isZero()) {
                throw new IllegalArgumentException("answerTimeout must be positive");
            }
            this.answerTimeout = answerTimeout;
            return this;
        }

        /**
         * A configuration property of the token server (see its README), such as a rate limit. A
         * key that ends in {@code password}, {@code secret} or {@code key} reaches the server in its
         * environment; others as system properties on its command line.
         */
        public Builder serverProperty(String name, String value) {
            serverProperties.put(Objects.requireNonNull(name, "name == null"), Objects.requireNonNull(value, "value == null"));
            return this;
        }

        /** Starts and seeds the server; it is ready for requests when this returns. */
        public TestTokenServer start() {
            Path serverJar = jar != null ? jar : defaultJar();
            if (!Files.isRegularFile(serverJar)) {
                throw new IllegalStateException("The token server's jar " + serverJar.toAbsolutePath()
                        + " does not exist: build it with './mvnw -B package -DskipTests' in the qrauth checkout.");
            }
            List<AuthType> seededTypes = types.isEmpty() ? List.of(AuthType.LOGIN, AuthType.APPROVAL) : List.copyOf(types);
            String adminPassword = randomSecret();
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("tokenserver.admin.password", adminPassword);
            // The key material in the throw-away database is encrypted under this; both live and die with the server.
            properties.put("tokenserver.master-key", randomSecret());
            // Test hashing: fast enough for a suite, never for production.
            properties.put("tokenserver.hashing.argon2-memory-kib", "1024");
            properties.put("tokenserver.hashing.argon2-iterations", "1");
            // Every virtual phone and the portal call from loopback: budgets meant for one host each.
            properties.put("tokenserver.device-registration.per-address", "1000000");
            properties.put("tokenserver.auth-failures.per-address", "1000000");
            // The portal under test listens on loopback.
            properties.put("tokenserver.callback.allow-private-addresses", "true");
            properties.putAll(serverProperties);
            // A server that lives for a test class: a quick start matters more than its top speed.
            ServerProcess process = ServerProcess.builder(serverJar).properties(properties).quickStart().start();
            PortalApiRecorder recorder = null;
            try {
                AdminClient admin = AdminClient.builder(process.uri(), "admin", adminPassword).build();
                for (AuthType type : seededTypes) {
                    MobileAuthTypeView view = MobileAuthTypeView.otp(type.name(), type.timeToLiveSeconds())
                            .withDefaultMessage(type.defaultMessage()).withNumberMatching(type.numberMatching())
                            .withProximity(type.proximity()).withReverseCode(type.reverseCode());
                    admin.createType(type.requiredApprovals() == 1 ? view
                            : view.withRequiredApprovals(type.requiredApprovals(), type.approvers()));
                }
                CreatedClient client = admin.createClient(NewClient.of("portal-under-test", portalName, callbackUris)
                        .withCallbackOnScan(callbackOnScan));
                recorder = PortalApiRecorder.start(process.uri());
                return new TestTokenServer(process, admin, recorder, client, seededTypes, answerTimeout);
            } catch (RuntimeException | Error e) {
                if (recorder != null) {
                    recorder.close();
                }
                process.close();
                throw e;
            }
        }

        private static Path defaultJar() {
            String named = System.getProperty(JAR_PROPERTY);
            if (named == null || named.isBlank()) {
                named = System.getenv(JAR_ENVIRONMENT);
            }
            if (named == null || named.isBlank()) {
                throw new IllegalStateException("Which token server? Set the system property " + JAR_PROPERTY
                        + " or the environment variable " + JAR_ENVIRONMENT + " to its jar "
                        + "(token-server/target/quarkus-app/quarkus-run.jar after './mvnw -B package -DskipTests'), "
                        + "or call TestTokenServer.builder().jar(path).");
            }
            return Path.of(named);
        }

        private static String randomSecret() {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        }
    }
}
