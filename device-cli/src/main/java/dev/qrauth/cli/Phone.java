package dev.qrauth.cli;

import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import dev.qrauth.sdk.storage.DirectoryStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** This device as the commands see it: its home directory, its server and its profiles. */
final class Phone {

    static final String SERVER_FILE = "server.url";
    private static final int MAX_LINE = 1024;

    final Path home;
    private final OtpDevice root;

    private Phone(OtpDevice root, Path home) {
        this.root = root;
        this.home = home;
    }

    static Phone of(OtpDevice root) {
        Path home = root.home;
        if (home == null) {
            String fromEnvironment = root.environment.get("OTP_DEVICE_HOME");
            home = fromEnvironment != null && !fromEnvironment.isBlank()
                    ? Path.of(fromEnvironment) : Path.of(System.getProperty("user.home"), ".otp-device");
        }
        return new Phone(root, home.toAbsolutePath().normalize());
    }

    Optional<URI> server() {
        Path file = home.resolve(SERVER_FILE);
        try {
            return Files.exists(file) ? Optional.of(URI.create(Files.readString(file, StandardCharsets.UTF_8).trim()))
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (IllegalArgumentException e) {
            throw new LocalStateException(file + " does not hold a URL");
        }
    }

    void rememberServer(URI server) {
        try {
            Files.createDirectories(home);
            Path temporary = Files.createTempFile(home, SERVER_FILE, ".tmp");
            Files.writeString(temporary, server.toString(), StandardCharsets.UTF_8);
            Files.move(temporary, home.resolve(SERVER_FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + home, e);
        }
    }

    /**
     * The client for the server in {@code server.url}. That file is not trusted: the SDK refuses
     * it unless it names the server the sealed device record was registered with.
     */
    UserClient client() {
        URI server = server().orElseThrow(() -> new LocalStateException(
                "This device is not registered in " + home + ": run 'otp-device register' first."));
        try {
            return client(server);
        } catch (IllegalArgumentException e) {
            throw new LocalStateException(home.resolve(SERVER_FILE) + " names a server this device cannot use: "
                    + e.getMessage());
        }
    }

    UserClient client(URI server) {
        return UserClient.builder().serverUri(server).store(new DirectoryStore(home))
                .deviceName("otp-device").build();
    }

    /** The profile to act as: --profile, else the only one, else the last logged in. */
    UserProfile profile(UserClient client) {
        List<UserProfile> profiles = client.userProfiles();
        if (root.profile != null) {
            return profiles.stream().filter(p -> p.userId().equals(root.profile)).findFirst()
                    .orElseThrow(() -> new LocalStateException("No profile '" + root.profile + "' on this device."));
        }
        if (profiles.size() == 1) {
            return profiles.get(0);
        }
        if (profiles.isEmpty()) {
            throw new LocalStateException("No user is registered on this device: run 'otp-device register' first.");
        }
        return client.authenticatedUserProfile().orElseThrow(() -> new LocalStateException(
                "Several profiles are registered; choose one with --profile."));
    }

    /**
     * The PIN given without asking: {@code --pin}, else the first line of standard input with
     * {@code --pin-stdin}, else {@code OTP_DEVICE_PIN}; empty when none of them.
     */
    Optional<String> givenPin(PinOptions options) {
        if (options.pin != null) {
            return Optional.of(options.pin);
        }
        if (options.stdin) {
            String line = firstLine(root.stdin);
            if (line == null || line.isEmpty()) {
                throw new UsageException("--pin-stdin: standard input has no PIN on its first line.");
            }
            return Optional.of(line);
        }
        String fromEnvironment = root.environment.get(PinOptions.ENVIRONMENT);
        return fromEnvironment == null || fromEnvironment.isEmpty() ? Optional.empty() : Optional.of(fromEnvironment);
    }

    /** The PIN given (see {@link #givenPin}), or asked for on the terminal (twice when choosing one). */
    String pin(PinOptions options, boolean choosing) {
        Optional<String> given = givenPin(options);
        return given.isPresent() ? given.get() : askPin(choosing);
    }

    /**
     * Logs in before a command that needs a session: with the PIN when one was given, else, on a
     * terminal, with one asked for when the profile has no session. Without a terminal and a PIN
     * the command goes on, and the server says when the session is missing.
     */
    void logInFirst(UserClient client, PinOptions options) {
        Optional<String> given = givenPin(options);
        if (given.isPresent()) {
            client.authenticateUser(profile(client), given.get());
            return;
        }
        if (!root.terminal.isInteractive()) {
            return;
        }
        UserProfile profile = profile(client);
        if (client.authenticatedUserProfile().filter(profile::equals).isEmpty()) {
            client.authenticateUser(profile, askPin(false));
        }
    }

    /**
     * The profile, its user logged in as {@link #logInFirst} does, for a command only that user
     * may give: without a session for the profile afterwards, a usage error saying
     * {@code whyLoggedIn}.
     */
    UserProfile loggedInProfile(UserClient client, PinOptions options, String whyLoggedIn) {
        UserProfile profile = profile(client);
        logInFirst(client, options);
        if (client.authenticatedUserProfile().filter(profile::equals).isEmpty()) {
            throw new UsageException("Log in first (or give the PIN, see --help): " + whyLoggedIn);
        }
        return profile;
    }

    /**
     * A new duress PIN: {@code OTP_DEVICE_DURESS_PIN}, else asked for twice on the terminal,
     * without echo. Never from the command line.
     */
    String duressPin() {
        String fromEnvironment = root.environment.get(PinOptions.DURESS_ENVIRONMENT);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return fromEnvironment;
        }
        Terminal terminal = root.terminal;
        if (!terminal.isInteractive()) {
            throw new UsageException("No terminal to ask for the duress PIN on: set " + PinOptions.DURESS_ENVIRONMENT
                    + ".");
        }
        char[] pin = terminal.readSecret("Choose a duress PIN (at least 5 digits, not your PIN): ");
        if (pin == null || pin.length == 0) {
            throw new UsageException("No duress PIN given.");
        }
        char[] again = terminal.readSecret("Repeat the duress PIN: ");
        if (again == null || !Arrays.equals(pin, again)) {
            throw new UsageException("The two duress PINs differ.");
        }
        return new String(pin);
    }

    private String askPin(boolean choosing) {
        Terminal terminal = root.terminal;
        if (!terminal.isInteractive()) {
            throw new UsageException("No terminal to ask for the PIN on: pass --pin-stdin or set "
                    + PinOptions.ENVIRONMENT + ".");
        }
        char[] pin = terminal.readSecret(choosing ? "Choose a PIN (at least 5 digits): " : "PIN: ");
        if (pin == null) {
            throw new UsageException("No PIN given.");
        }
        if (choosing) {
            char[] again = terminal.readSecret("Repeat the PIN: ");
            if (again == null || !Arrays.equals(pin, again)) {
                throw new UsageException("The two PINs differ.");
            }
        }
        return new String(pin);
    }

    /** One line, without its line end, read byte by byte so nothing after it is consumed; null at once at the end. */
    private static String firstLine(InputStream in) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                if (line.size() >= MAX_LINE) {
                    throw new UsageException("--pin-stdin: the first line of standard input is too long for a PIN.");
                }
                line.write(b);
            }
            if (b == -1 && line.size() == 0) {
                return null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input", e);
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
