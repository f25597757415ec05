package dev.qrauth.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrauth.sdk.internal.Vault;
import dev.qrauth.sdk.storage.DirectoryStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a full flow leaves on disk: nothing secret in clear. */
class StorageAtRestTest {

    @TempDir
    Path home;

    @Test
    void afterAFullFlowTheDirectoryHoldsNoSecretInClear() throws Exception {
        String pin = "86420";
        try (FakeTokenServer server = new FakeTokenServer()) {
            UserClient client = UserClient.builder().serverUri(server.uri()).store(new DirectoryStore(home)).build();
            UserProfile alice = client.registerUser("alice", "K7QZ2-M4XPA-9RTWC-HD3NB", pin);
            client.authenticateUser(alice, pin);
            client.enrollForMobileAuth();
            RecordingDelegate done = RecordingDelegate.confirming();
            client.handleOtpMobileAuthRequest(server.newOtp(null), done);
            assertThat(done.awaitTerminal(Duration.ofSeconds(10)).methods()).containsExactly("challenge", "handled");

            Vault vault = new Vault(new DirectoryStore(home));
            Vault.ProfileRecord profile = vault.profile("alice").orElseThrow();
            String deviceSecret = vault.device().orElseThrow().deviceSecret();
            String token = profile.accessToken();
            List<String> secrets = new ArrayList<>(List.of(pin, token, deviceSecret, "PRIVATE KEY"));
            // Every line of the armored private key's body is key material.
            profile.privateKey().lines().filter(line -> line.length() > 40).limit(5).forEach(secrets::add);

            List<Path> files;
            try (Stream<Path> list = Files.list(home)) {
                files = list.toList();
            }
            assertThat(files).extracting(p -> p.getFileName().toString())
                    .contains("storage.key", "device").noneMatch(name -> name.endsWith(".tmp"));
            for (Path file : files) {
                for (String secret : secrets) {
                    assertThat(file.getFileName().toString()).doesNotContain(secret);
                }
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertThat(content).as(file.getFileName() + " must not contain a secret").doesNotContain(secret);
                }
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void aChangedOrForeignEntryIsRefusedNotMisread() throws Exception {
        Vault vault = new Vault(new DirectoryStore(home));
        vault.saveProfile(Vault.ProfileRecord.registered("alice"));
        Path entry;
        try (Stream<Path> list = Files.list(home)) {
            entry = list.filter(p -> p.getFileName().toString().startsWith("profile-")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length - 1] ^= 1;
        Files.write(entry, bytes);
        assertThatThrownBy(() -> vault.profile("alice")).isInstanceOf(Vault.CorruptStoreException.class);

        Vault other = new Vault(new DirectoryStore(home, new byte[32]));
        assertThatThrownBy(() -> other.device().orElseThrow()).isInstanceOf(java.util.NoSuchElementException.class);
        vault.saveProfile(Vault.ProfileRecord.registered("alice"));
        assertThatThrownBy(() -> other.profile("alice")).isInstanceOf(Vault.CorruptStoreException.class);
    }

    @Test
    void anInterruptedWriteLeavesTheOldEntryIntact() throws Exception {
        DirectoryStore store = new DirectoryStore(home);
        store.write("entry", "old".getBytes(StandardCharsets.UTF_8));
        // What a crash between writing the temporary file and renaming it leaves behind.
        Files.writeString(home.resolve("entry1234.tmp"), "half-writ");
        assertThat(store.read("entry")).hasValueSatisfying(v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("old"));
        assertThat(store.names()).containsExactly("entry");
        store.write("entry", "new".getBytes(StandardCharsets.UTF_8));
        assertThat(store.read("entry")).hasValueSatisfying(v -> assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("new"));
    }

    @Test
    void entryNamesCannotEscapeTheDirectory() {
        DirectoryStore store = new DirectoryStore(home);
        for (String name : new String[] {"../evil", "a/b", "storage.key", "", ".hidden"}) {
            assertThatThrownBy(() -> store.write(name, new byte[1])).as(name).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aLostKeyIsNotSilentlyReplaced() throws Exception {
        DirectoryStore store = new DirectoryStore(home);
        new Vault(store).saveProfile(Vault.ProfileRecord.registered("alice"));
        Files.delete(home.resolve("storage.key"));
        assertThatThrownBy(() -> new DirectoryStore(home).storageKey()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("storage.key is missing");
    }

    @Test
    void theStorageKeyIsCreatedOnceAndKept() throws Exception {
        byte[] first = new DirectoryStore(home).storageKey();
        byte[] again = new DirectoryStore(home).storageKey();
        assertThat(first).hasSize(32).isEqualTo(again);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("storage.key"))))
                .isEqualTo("rw-------");
    }
}
