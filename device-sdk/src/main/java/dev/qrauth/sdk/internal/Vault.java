package dev.qrauth.sdk.internal;

import dev.qrauth.sdk.storage.ProfileStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The SDK's state in a {@link ProfileStore}: every entry JSON ({@link VaultJson}), sealed with AES-256-GCM under the
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
    private static final String RECEIPTS_PREFIX = "receipts-";
    /** Receipts kept per user: the newest, enough for months of logins, bounded for the store's sake. */
    public static final int MAX_RECEIPTS = 1_000;
    private static final byte FORMAT = 1;

    /** Made at the first write: a run that only reads never sets up the JDK's random source. */
    private static final class Random {
        static final SecureRandom INSTANCE = new SecureRandom();

        private Random() {
        }
    }

    /** The device's registration with one server. */
    public record DeviceRecord(
            String server,
            UUID deviceId,
            String deviceSecret) {

        @Override
        public String toString() {
            return "DeviceRecord[server=" + server + ", deviceId=" + deviceId + ", deviceSecret=<redacted>]";
        }
    }

    /** One user on this device, with its enrollment key and session, if any. */
    public record ProfileRecord(
            String userId,
            String privateKey,
            String deviceKeyFingerprint,
            String serverCertificate,
            String accessToken,
            Instant tokenExpiresAt,
            Instant lastUsedAt) {

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
    private final KeyParameter key;
    private final Map<String, Opened> opened = new ConcurrentHashMap<>();

    /** An entry's sealed bytes and what they opened to (an immutable record). */
    private record Opened(byte[] sealed, Object value) {
    }

    public Vault(ProfileStore store) {
        this.store = store;
        byte[] storageKey = store.storageKey();
        if (storageKey == null || storageKey.length != 32) {
            throw new IllegalArgumentException("the store's key must be 32 bytes, for AES-256");
        }
        this.key = new KeyParameter(storageKey);
    }

    public Optional<DeviceRecord> device() {
        return read(DEVICE, DeviceRecord.class, VaultJson::readDevice);
    }

    public void saveDevice(DeviceRecord device) {
        write(DEVICE, device, VaultJson.write(device));
    }

    public Optional<ProfileRecord> profile(String userId) {
        return read(profileName(userId), ProfileRecord.class, VaultJson::readProfile);
    }

    public void saveProfile(ProfileRecord profile) {
        write(profileName(profile.userId()), profile, VaultJson.write(profile));
    }

    public void deleteProfile(String userId) {
        for (String name : List.of(profileName(userId), receiptsName(userId))) {
            store.delete(name);
            opened.remove(name);
        }
    }

    /** The receipts this phone signed for one user, oldest first. */
    public record StoredReceipts(
            @com.fasterxml.jackson.annotation.JsonProperty("receipts")
            List<dev.qrauth.protocol.receipt.SignedReceipt> receipts) {
        public StoredReceipts {
            receipts = List.copyOf(receipts);
        }
    }

    public List<dev.qrauth.protocol.receipt.SignedReceipt> receipts(String userId) {
        return read(receiptsName(userId), StoredReceipts.class, json -> {
            try {
                return dev.qrauth.protocol.json.ProtocolJson.read(json, StoredReceipts.class);
            } catch (dev.qrauth.protocol.json.ProtocolFormatException e) {
                throw new IOException(e);
            }
        }).map(StoredReceipts::receipts).orElse(List.of());
    }

    /** Keeps {@code receipt}, dropping the oldest beyond {@link #MAX_RECEIPTS}. */
    public void addReceipt(String userId, dev.qrauth.protocol.receipt.SignedReceipt receipt) {
        List<dev.qrauth.protocol.receipt.SignedReceipt> receipts = new ArrayList<>(receipts(userId));
        receipts.add(receipt);
        if (receipts.size() > MAX_RECEIPTS) {
            receipts = receipts.subList(receipts.size() - MAX_RECEIPTS, receipts.size());
        }
        StoredReceipts stored = new StoredReceipts(receipts);
        write(receiptsName(userId), stored, dev.qrauth.protocol.json.ProtocolJson.write(stored));
    }

    public List<ProfileRecord> profiles() {
        List<ProfileRecord> profiles = new ArrayList<>();
        for (String name : store.names()) {
            if (name.startsWith(PROFILE_PREFIX)) {
                read(name, ProfileRecord.class, VaultJson::readProfile).ifPresent(profiles::add);
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

    private static String receiptsName(String userId) {
        return RECEIPTS_PREFIX + HexFormat.of().formatHex(userId.getBytes(StandardCharsets.UTF_8));
    }

    private static String profileName(String userId) {
        return PROFILE_PREFIX + HexFormat.of().formatHex(userId.getBytes(StandardCharsets.UTF_8));
    }

    /** How a record is read from its JSON. */
    private interface Reader<T> {
        T read(byte[] json) throws IOException;
    }

    private <T> Optional<T> read(String name, Class<T> type, Reader<T> reader) {
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
            byte[] json = gcm(false, name, Arrays.copyOfRange(bytes, 1, 13), bytes, 13, bytes.length - 13);
            T value = reader.read(json);
            opened.put(name, new Opened(bytes.clone(), value));
            return Optional.of(value);
        } catch (InvalidCipherTextException | IOException | IllegalArgumentException | DateTimeException e) {
            throw new CorruptStoreException("the stored entry " + name + " does not decrypt with the storage key");
        }
    }

    private void write(String name, Object value, byte[] json) {
        byte[] nonce = new byte[12];
        Random.INSTANCE.nextBytes(nonce);
        byte[] sealed;
        try {
            sealed = gcm(true, name, nonce, json, 0, json.length);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("sealing cannot fail", e);
        }
        byte[] entry = ByteBuffer.allocate(1 + 12 + sealed.length).put(FORMAT).put(nonce).put(sealed).array();
        store.write(name, entry);
        opened.put(name, new Opened(entry.clone(), value));
    }

    /**
     * AES-256-GCM with a 128-bit tag and the entry's name as associated data: seals ({@code
     * encrypt}) or opens {@code length} bytes of {@code input} from {@code offset}. Bouncy
     * Castle's cipher, not the JDK's: the JDK's first {@code Cipher} sets up its provider
     * framework, about 60 ms of a command-line phone's run.
     */
    private byte[] gcm(boolean encrypt, String name, byte[] nonce, byte[] input, int offset, int length)
            throws InvalidCipherTextException {
        GCMModeCipher cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
        cipher.init(encrypt, new AEADParameters(key, 128, nonce, name.getBytes(StandardCharsets.UTF_8)));
        byte[] output = new byte[cipher.getOutputSize(length)];
        int written = cipher.processBytes(input, offset, length, output, 0);
        written += cipher.doFinal(output, written);
        return written == output.length ? output : Arrays.copyOf(output, written);
    }
}
