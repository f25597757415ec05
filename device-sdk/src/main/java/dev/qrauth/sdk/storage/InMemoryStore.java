package dev.qrauth.sdk.storage;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link ProfileStore} in memory, for tests: gone with the object. */
public final class InMemoryStore implements ProfileStore {

    private final Map<String, byte[]> entries = new ConcurrentHashMap<>();
    private final byte[] key = new byte[32];

    public InMemoryStore() {
        new SecureRandom().nextBytes(key);
    }

    @Override
    public Optional<byte[]> read(String name) {
        byte[] content = entries.get(name);
        return content == null ? Optional.empty() : Optional.of(content.clone());
    }

    @Override
    public void write(String name, byte[] content) {
        entries.put(name, content.clone());
    }

    @Override
    public void delete(String name) {
        entries.remove(name);
    }

    @Override
    public List<String> names() {
        List<String> names = new ArrayList<>(entries.keySet());
        names.sort(null);
        return names;
    }

    @Override
    public byte[] storageKey() {
        return key.clone();
    }
}
