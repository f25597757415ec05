package dev.qrauth.cli;

import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.UserProfile;
import dev.qrauth.sdk.storage.DirectoryStore;
import java.io.IOException;
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

    /** The PIN from the option, or asked for on the terminal (twice when choosing one). */
    String pin(String given, boolean choosing) {
        if (given != null) {
            return given;
        }
        Terminal terminal = root.terminal;
        if (!terminal.isInteractive()) {
            throw new UsageException("No terminal to ask for the PIN on: pass --pin.");
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
}
