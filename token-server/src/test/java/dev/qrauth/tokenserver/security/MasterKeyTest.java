package dev.qrauth.tokenserver.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.LaunchMode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MasterKeyTest {

    static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    static final String OTHER_KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    @Test
    void decryptsWhatItEncryptedForTheSamePurpose() {
        MasterKey key = new MasterKey(Optional.of(KEY));
        byte[] sealed = key.encrypt("callback-signing-secret:c1", "s3cret");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("s3cret");
        assertThat(key.decryptToString("callback-signing-secret:c1", sealed)).isEqualTo("s3cret");
    }

    @Test
    void aValueMovedToAnotherPurposeOrKeyDoesNotDecrypt() {
        MasterKey key = new MasterKey(Optional.of(KEY));
        byte[] sealed = key.encrypt("callback-signing-secret:c1", "s3cret");
        assertThatThrownBy(() -> key.decrypt("callback-signing-secret:c2", sealed)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new MasterKey(Optional.of(OTHER_KEY)).decrypt("callback-signing-secret:c1", sealed))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tokenserver.master-key");
        byte[] flipped = sealed.clone();
        flipped[flipped.length - 1] ^= 1;
        assertThatThrownBy(() -> key.decrypt("callback-signing-secret:c1", flipped)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void encryptingTwiceGivesDifferentCiphertexts() {
        MasterKey key = new MasterKey(Optional.of(KEY));
        assertThat(key.encrypt("p", "same")).isNotEqualTo(key.encrypt("p", "same"));
    }

    @Test
    void aMalformedConfiguredKeyFailsFast() {
        assertThatThrownBy(() -> new MasterKey(Optional.of("not base64!"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("openssl rand -base64 32");
        assertThatThrownBy(() -> new MasterKey(Optional.of(Base64.getEncoder().encodeToString(new byte[16]))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("32 bytes");
    }

    @Test
    void inDevAndTestTheDevelopmentKeyStandsInForAMissingOne() {
        for (LaunchMode mode : new LaunchMode[] {LaunchMode.DEVELOPMENT, LaunchMode.TEST}) {
            MasterKey key = new MasterKey(Optional.empty(), mode);
            assertThat(key.decryptToString("p", key.encrypt("p", "v"))).isEqualTo("v");
        }
    }

    @Test
    void outsideDevAndTestTheServerRefusesToStartWithoutAKey() {
        for (Optional<String> missing : java.util.List.of(Optional.<String>empty(), Optional.of("  "))) {
            assertThatThrownBy(() -> new MasterKey(missing, LaunchMode.NORMAL))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("tokenserver.master-key is not set")
                    .hasMessageContaining("openssl rand -base64 32")
                    .hasMessageContaining("TOKENSERVER_MASTER_KEY");
        }
        assertThat(new MasterKey(Optional.of(KEY), LaunchMode.NORMAL).decryptToString("p",
                new MasterKey(Optional.of(KEY), LaunchMode.NORMAL).encrypt("p", "v"))).isEqualTo("v");
    }
}
