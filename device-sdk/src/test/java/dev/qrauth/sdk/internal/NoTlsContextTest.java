package dev.qrauth.sdk.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A client for a plain-HTTP server has no TLS to fall back on: any use of it fails, nothing connects unchecked. */
class NoTlsContextTest {

    @Test
    void everyUseOfTheContextFails() {
        NoTlsContext context = new NoTlsContext();
        assertThatThrownBy(context::createSSLEngine).isInstanceOf(IllegalStateException.class).hasMessageContaining("http://");
        assertThatThrownBy(() -> context.createSSLEngine("auth.example.com", 443)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(context::getSocketFactory).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(context::getClientSessionContext).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> context.init(null, null, null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPlainHttpClientStillRefusesAServerItCannotReach() {
        // The client is built with this context and still turns a refused connection into the SDK's error.
        DeviceApiClient client = new DeviceApiClient(URI.create("http://127.0.0.1:9"), Duration.ofSeconds(2), Duration.ofSeconds(2));
        assertThatThrownBy(() -> client.registerDevice("phone")).isInstanceOfSatisfying(dev.qrauth.sdk.SdkException.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.code())
                        .isEqualTo(dev.qrauth.sdk.SdkErrorCode.NETWORK_CONNECTIVITY_FAILURE));
    }
}
