package dev.qrauth.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.receipt.SignedReceipt;
import dev.qrauth.sdk.storage.InMemoryStore;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VaultReceiptsTest {

    static SignedReceipt receipt(int n) {
        return SignedReceipt.of(("statement " + n).getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
    }

    @Test
    void theNewestReceiptsAreKeptUpToTheBound() {
        Vault vault = new Vault(new InMemoryStore());
        for (int n = 1; n <= Vault.MAX_RECEIPTS + 5; n++) {
            vault.addReceipt("alice", receipt(n));
        }
        assertThat(vault.receipts("alice")).hasSize(Vault.MAX_RECEIPTS)
                .first().isEqualTo(receipt(6));
        assertThat(vault.receipts("alice")).last().isEqualTo(receipt(Vault.MAX_RECEIPTS + 5));
        assertThat(vault.receipts("bob")).isEmpty();
    }

    @Test
    void deletingAProfileDeletesItsReceipts() {
        Vault vault = new Vault(new InMemoryStore());
        vault.addReceipt("alice", receipt(1));
        vault.deleteProfile("alice");
        assertThat(vault.receipts("alice")).isEmpty();
    }
}
