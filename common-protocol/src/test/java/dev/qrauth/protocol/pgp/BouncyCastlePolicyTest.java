package dev.qrauth.protocol.pgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.api.OpenPGPPolicy.OpenPGPNotationRegistry;
import org.junit.jupiter.api.Test;

class BouncyCastlePolicyTest {

    private final BouncyCastlePolicy policy =
            new BouncyCastlePolicy(HashAlgorithmTags.SHA512, SymmetricKeyAlgorithmTags.AES_256, 1 << 20);

    @Test
    void theNotationRegistryKnowsNoNotationAndLearnsNone() {
        OpenPGPNotationRegistry registry = policy.getNotationRegistry();

        assertThat(registry.isNotationKnown("salt@notations.openpgpjs.org")).isFalse();
        assertThatThrownBy(() -> registry.addKnownNotation("critical@example.org"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(policy.getNotationRegistry().isNotationKnown("critical@example.org")).isFalse();
    }

    @Test
    void everyCallGetsTheSameRegistry() {
        assertThat(policy.getNotationRegistry()).isSameAs(policy.getNotationRegistry());
    }
}
