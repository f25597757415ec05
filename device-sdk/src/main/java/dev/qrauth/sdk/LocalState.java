package dev.qrauth.sdk;

import dev.qrauth.sdk.internal.Vault;
import dev.qrauth.sdk.internal.Vault.DeviceRecord;
import dev.qrauth.sdk.internal.Vault.ProfileRecord;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The vault as {@link UserClient} uses it: every read and write of the local store goes through
 * here, so that a store that cannot be read reaches the app as an {@link SdkException} with
 * {@link SdkErrorCode#LOCAL_STORE_CORRUPT}, never as a type of the SDK's internals.
 */
final class LocalState {

    private final Vault vault;

    LocalState(Vault vault) {
        this.vault = vault;
    }

    Optional<DeviceRecord> device() {
        return reading(vault::device);
    }

    void saveDevice(DeviceRecord device) {
        vault.saveDevice(device);
    }

    Optional<ProfileRecord> profile(String userId) {
        return reading(() -> vault.profile(userId));
    }

    void saveProfile(ProfileRecord profile) {
        vault.saveProfile(profile);
    }

    void deleteProfile(String userId) {
        vault.deleteProfile(userId);
    }

    List<ProfileRecord> profiles() {
        return reading(vault::profiles);
    }

    List<dev.qrauth.protocol.receipt.SignedReceipt> receipts(String userId) {
        return reading(() -> vault.receipts(userId));
    }

    void addReceipt(String userId, dev.qrauth.protocol.receipt.SignedReceipt receipt) {
        reading(() -> {
            vault.addReceipt(userId, receipt);
            return null;
        });
    }

    void wipe() {
        vault.wipe();
    }

    /** Writes and deletes only seal and remove entries; reading is where a damaged one shows. */
    private static <T> T reading(Supplier<T> read) {
        try {
            return read.get();
        } catch (Vault.CorruptStoreException e) {
            throw new SdkException(SdkErrorCode.LOCAL_STORE_CORRUPT, e.getMessage(), null, e);
        }
    }
}
