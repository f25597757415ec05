package dev.qrauth.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrauth.protocol.otp.OtpCode;
import dev.qrauth.protocol.otp.OtpCodec;
import dev.qrauth.protocol.otp.OtpPayload;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UserClientTest {

    final UserClient client = UserClient.builder().serverUri(URI.create("http://127.0.0.1:8081")).build();

    @Test
    void canHandleAnOtpFromTheTokenServer() {
        String otp = OtpCodec.encode(new OtpPayload(UUID.randomUUID(), OtpCode.generate(new SecureRandom())));
        assertThat(client.canHandleOtpMobileAuthRequest(otp)).isTrue();
    }

    @Test
    void cannotHandleAnythingElseAndNeverThrows() {
        String notAnOtp = Base64.getEncoder().encodeToString("{\"transaction_id\":\"x\",\"otp\":\"y\"}"
                .getBytes(StandardCharsets.UTF_8));
        for (String text : new String[] {null, "", "https://example.com/login", notAnOtp, "\u0000"}) {
            assertThat(client.canHandleOtpMobileAuthRequest(text)).as(String.valueOf(text)).isFalse();
        }
    }

    @Test
    void builderRefusesAMissingOrNonHttpServer() {
        assertThatThrownBy(() -> UserClient.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("serverUri");
        assertThatThrownBy(() -> UserClient.builder().serverUri(URI.create("ftp://host/")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UserClient.builder().serverUri(null)).isInstanceOf(NullPointerException.class);
    }
}
