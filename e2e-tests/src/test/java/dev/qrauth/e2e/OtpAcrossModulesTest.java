package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.otp.OtpCode;
import dev.qrauth.protocol.otp.OtpCodec;
import dev.qrauth.protocol.otp.OtpPayload;
import dev.qrauth.sdk.UserClient;
import dev.qrauth.sdk.storage.InMemoryStore;
import java.net.URI;
import java.security.SecureRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the server side writes, the device side reads: the modules agree on the wire. */
class OtpAcrossModulesTest {

    @Test
    void theSdkHandlesExactlyTheOtpsTheProtocolWrites() {
        UserClient phone = UserClient.builder().serverUri(URI.create("http://127.0.0.1:8081"))
                .store(new InMemoryStore()).build();
        String otp = OtpCodec.encode(new OtpPayload(UUID.randomUUID(), OtpCode.generate(new SecureRandom())));

        assertThat(phone.canHandleOtpMobileAuthRequest(otp)).isTrue();
        assertThat(phone.canHandleOtpMobileAuthRequest(otp + "=")).isFalse();
        assertThat(phone.canHandleOtpMobileAuthRequest(otp.substring(1))).isFalse();
    }
}
