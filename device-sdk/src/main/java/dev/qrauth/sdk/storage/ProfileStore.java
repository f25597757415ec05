package dev.qrauth.sdk.storage;

import java.util.List;
import java.util.Optional;

/**
 * Where the SDK keeps its state: named entries of bytes. The SDK encrypts every entry with
 * AES-256-GCM under {@link #storageKey()} before writing it, so a store only ever holds
 * ciphertext, apart from the key itself.
 *
 * <p>Implementations must replace an entry atomically: after a crash an entry holds either its
 * old or its new content, never a mix. {@link DirectoryStore} is the default;
 * {@link InMemoryStore} suits tests.
 */
public interface ProfileStore {

    /** The entry's content, or empty when there is none. */
    Optional<byte[]> read(String name);

    /** Replaces the entry atomically. */
    void write(String name, byte[] content);

    /** Removes the entry if present. */
    void delete(String name);

    /** The names of all entries, without the storage key. */
    List<String> names();

    /**
     * The 32-byte key that seals the entries, created on first use. Where it lives decides what
     * the encryption protects against; see each implementation.
     */
    byte[] storageKey();
}
