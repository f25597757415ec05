package dev.qrauth.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrauth.sdk.storage.InMemoryStore;
import dev.qrauth.sdk.storage.ProfileStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The vault's format on disk stays what earlier versions wrote: an entry sealed by the JDK's
 * AES-GCM around JSON written by data binding opens the same, and what is written now opens
 * with the JDK's cipher. Its JSON rules refuse what is not an entry.
 */
class VaultFormatTest {

    private final ProfileStore store = new InMemoryStore();

    /** An entry as earlier versions sealed it: format byte, nonce, then AES-256-GCM with the name as AAD. */
    private byte[] sealedByTheJdk(String name, String json) throws Exception {
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(store.storageKey(), "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
        byte[] sealed = cipher.doFinal(json.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.allocate(13 + sealed.length).put((byte) 1).put(nonce).put(sealed).array();
    }

    private static String profileName(String userId) {
        return "profile-" + HexFormat.of().formatHex(userId.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void entriesWrittenByEarlierVersionsOpen() throws Exception {
        UUID deviceId = UUID.randomUUID();
        store.write("device", sealedByTheJdk("device", "{\"server\":\"https://auth.example.com\",\"device_id\":\""
                + deviceId + "\",\"device_secret\":\"s3cret\"}"));
        store.write(profileName("alice"), sealedByTheJdk(profileName("alice"), "{\"user_id\":\"alice\","
                + "\"private_key\":\"KEY\",\"device_key_fingerprint\":\"F1\",\"server_certificate\":\"CERT\","
                + "\"access_token\":null,\"token_expires_at\":null,\"last_used_at\":\"2026-11-30T08:15:30.123456Z\"}"));

        Vault vault = new Vault(store);
        assertThat(vault.device()).contains(new Vault.DeviceRecord("https://auth.example.com", deviceId, "s3cret"));
        assertThat(vault.profile("alice")).contains(new Vault.ProfileRecord("alice", "KEY", "F1", "CERT", null, null,
                Instant.parse("2026-11-30T08:15:30.123456Z")));
    }

    @Test
    void whatIsWrittenNowOpensWithTheJdksCipherAndKeepsEveryMember() throws Exception {
        Vault.ProfileRecord profile = new Vault.ProfileRecord("bob", "KEY", "F2", "CERT", "token",
                Instant.parse("2026-12-02T10:00:00Z"), Instant.parse("2026-12-02T09:00:00.5Z"));
        new Vault(store).saveProfile(profile);

        byte[] entry = store.read(profileName("bob")).orElseThrow();
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(store.storageKey(), "AES"), new GCMParameterSpec(128, entry, 1, 12));
        cipher.updateAAD(profileName("bob").getBytes(StandardCharsets.UTF_8));
        String json = new String(cipher.doFinal(entry, 13, entry.length - 13), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"user_id\":\"bob\",\"private_key\":\"KEY\",\"device_key_fingerprint\":\"F2\","
                + "\"server_certificate\":\"CERT\",\"access_token\":\"token\",\"token_expires_at\":\"2026-12-02T10:00:00Z\","
                + "\"last_used_at\":\"2026-12-02T09:00:00.500Z\"}");
        // Read by another client, as a second process would.
        assertThat(new Vault(store).profile("bob")).contains(profile);
    }

    @Test
    void aMemberANewerVersionAddedIsSkipped() throws Exception {
        Vault.DeviceRecord device = VaultJson.readDevice(("{\"server\":\"https://a.example\",\"attestation\":{\"k\":[1,2]},"
                + "\"device_id\":null,\"device_secret\":\"x\",\"since\":5}").getBytes(StandardCharsets.UTF_8));
        assertThat(device).isEqualTo(new Vault.DeviceRecord("https://a.example", null, "x"));
    }

    @Test
    void jsonThatIsNoEntryIsRefused() throws Exception {
        String[] refused = {
            "{\"server\":\"a\",\"server\":\"b\"}", // a member twice
            "{\"server\":5}", // a known member that is not a string
            "{\"server\":\"a\"} {}", // something after the object
            "[\"server\"]",
            "{\"server\":\"a\"",
        };
        for (String json : refused) {
            assertThatThrownBy(() -> VaultJson.readDevice(json.getBytes(StandardCharsets.UTF_8))).as(json)
                    .isInstanceOf(java.io.IOException.class);
        }
        assertThatThrownBy(() -> VaultJson.readDevice("{\"device_id\":\"not-a-uuid\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEntryWhoseJsonIsBrokenIsACorruptStoreNotAFailureOfTheCaller() throws Exception {
        store.write("device", sealedByTheJdk("device", "{\"device_id\":\"not-a-uuid\"}"));
        store.write(profileName("carol"), sealedByTheJdk(profileName("carol"), "{\"user_id\":\"carol\",\"last_used_at\":\"yesterday\"}"));
        Vault vault = new Vault(store);
        assertThatThrownBy(vault::device).isInstanceOf(Vault.CorruptStoreException.class);
        assertThatThrownBy(() -> vault.profile("carol")).isInstanceOf(Vault.CorruptStoreException.class);
    }

    @Test
    void aStoreWhoseKeyIsNotForAes256IsRefusedAtOnce() {
        ProfileStore shortKey = new ProfileStore() {
            @Override
            public java.util.Optional<byte[]> read(String name) {
                return store.read(name);
            }

            @Override
            public void write(String name, byte[] content) {
                store.write(name, content);
            }

            @Override
            public void delete(String name) {
                store.delete(name);
            }

            @Override
            public java.util.List<String> names() {
                return store.names();
            }

            @Override
            public byte[] storageKey() {
                return new byte[16];
            }
        };
        assertThatThrownBy(() -> new Vault(shortKey)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
    }
}
