package dev.qrauth.sdk.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.qrauth.protocol.json.ProtocolFormatException;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.sdk.storage.ProfileStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SDK's state in a {@link ProfileStore}: every entry JSON, sealed with AES-256-GCM under the
 * store's key, bound to its entry name so entries cannot be swapped.
 *
 * <p>An entry read or written is kept opened beside the sealed bytes it came from, and opened
 * again only when the store holds other bytes: a mobile-auth request reads the device and the
 * profile several times, and each opening (AES-GCM and a JSON read) costs more than comparing
 * the bytes. A change by another client or process, or a tampered entry, still gets opened (and
 * refused) as before.
 */
public final class Vault {

    static final String DEVICE = "device";
    private static final String PROFILE_PREFIX = "profile-";
    private static final byte FORMAT = 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The device's registration with one server. */
    public record DeviceRecord(
            @JsonProperty("server") String server,
            @JsonProperty("device_id") UUID deviceId,
            @JsonProperty("device_secret") String deviceSecret) {

        @Override
        public String toString() {
            return "DeviceRecord[server=" + server + ", deviceId=" + deviceId + ", deviceSecret=<redacted>]";
        }
    }

    /** One user on this device, with its enrollment key and session, if any. */
    public record ProfileRecord(
            @JsonProperty("user_id") String userId,
            @JsonProperty("private_key") String privateKey,
            @JsonProperty("device_key_fingerprint") String deviceKeyFingerprint,
            @JsonProperty("server_certificate") String serverCertificate,
            @JsonProperty("access_token") String accessToken,
            @JsonProperty("token_expires_at") Instant tokenExpiresAt,
            @JsonProperty("last_used_at") Instant lastUsedAt) {

        @Override
        public String toString() {
            return "ProfileRecord[userId=" + userId + ", enrolled=" + isEnrolled() + ", keys and tokens <redacted>]";
        }

        public static ProfileRecord registered(String userId) {
            return new ProfileRecord(userId, null, null, null, null, null, Instant.now());
        }

        public boolean isEnrolled() {
            return privateKey != null && serverCertificate != null;
        }

        public boolean hasSessionAt(Instant now) {
            return accessToken != null && tokenExpiresAt != null && tokenExpiresAt.isAfter(now);
        }

        public ProfileRecord withSession(String token, Instant expiresAt) {
            return new ProfileRecord(userId, privateKey, deviceKeyFingerprint, serverCertificate, token, expiresAt,
                    Instant.now());
        }

        public ProfileRecord withoutSession() {
            return new ProfileRecord(userId, privateKey, deviceKeyFingerprint, serverCertificate, null, null, lastUsedAt);
        }

        public ProfileRecord withEnrollment(String key, String fingerprint, String server) {
            return new ProfileRecord(userId, key, fingerprint, server, accessToken, tokenExpiresAt, lastUsedAt);
        }

        public ProfileRecord withoutEnrollment() {
            return new ProfileRecord(userId, null, null, null, accessToken, tokenExpiresAt, lastUsedAt);
        }
    }

    /** A store entry that does not decrypt or parse: changed, from another key, or corrupt. */
    public static final class CorruptStoreException extends RuntimeException {
        CorruptStoreException(String message) {
            super(message);
        }
    }

    private final ProfileStore store;
    private final SecretKeySpec key;
    private final Map<String, Opened> opened = new ConcurrentHashMap<>();

    /** An entry's sealed bytes and what they opened to (an immutable record). */
    private record Opened(byte[] sealed, Object value) {
    }

    public Vault(ProfileStore store) {
        this.store = store;
        this.key = new SecretKeySpec(store.storageKey(), "AES");
    }

    public Optional<DeviceRecord> device() {
        return read(DEVICE, DeviceRecord.class);
    }

    public void saveDevice(DeviceRecord device) {
        write(DEVICE, device);
    }

    public Optional<ProfileRecord> profile(String userId) {
        return read(profileName(userId), ProfileRecord.class);
    }

    public void saveProfile(ProfileRecord profile) {
        write(profileName(profile.userId()), profile);
    }

    public void deleteProfile(String userId) {
        String name = profileName(userId);
        store.delete(name);
        opened.remove(name);
    }

    public List<ProfileRecord> profiles() {
        List<ProfileRecord> profiles = new ArrayList<>();
        for (String name : store.names()) {
            if (name.startsWith(PROFILE_PREFIX)) {
                read(name, ProfileRecord.class).ifPresent(profiles::add);
            }
        }
        return profiles;
    }

    /** Removes the device and every profile. */
    public void wipe() {
        for (String name : store.names()) {
            store.delete(name);
        }
        opened.clear();
    }

    private static String profileName(String userId) {
        return PROFILE_PREFIX + HexFormat.of().formatHex(userId.getBytes(StandardCharsets.UTF_8));
    }

    private <T> Optional<T> read(String name, Class<T> type) {
        Optional<byte[]> sealed = store.read(name);
        if (sealed.isEmpty()) {
            opened.remove(name);
            return Optional.empty();
        }
        byte[] bytes = sealed.get();
        Opened known = opened.get(name);
        if (known != null && type.isInstance(known.value()) && Arrays.equals(known.sealed(), bytes)) {
            return Optional.of(type.cast(known.value()));
        }
        if (bytes.length < 1 + 12 + 16 || bytes[0] != FORMAT) {
            throw new CorruptStoreException("the stored entry " + name + " is not in a known format");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, bytes, 1, 12));
            cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            byte[] json = cipher.doFinal(bytes, 13, bytes.length - 13);
            T value = ProtocolJson.read(json, type);
            opened.put(name, new Opened(bytes.clone(), value));
            return Optional.of(value);
        } catch (GeneralSecurityException | ProtocolFormatException e) {
            throw new CorruptStoreException("the stored entry " + name + " does not decrypt with the storage key");
        }
    }

    private void write(String name, Object value) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(ProtocolJson.write(value));
            byte[] entry = ByteBuffer.allocate(1 + 12 + sealed.length).put(FORMAT).put(nonce).put(sealed).array();
            store.write(name, entry);
            opened.put(name, new Opened(entry.clone(), value));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every JDK", e);
        }
    }
}
