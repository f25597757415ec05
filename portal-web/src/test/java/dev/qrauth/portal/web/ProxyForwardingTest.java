package dev.qrauth.portal.web;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProxyForwardingTest {

    @Test
    void forwardingWithoutTrustedProxiesStopsTheStart() {
        assertThatThrownBy(() -> ProxyForwarding.check(true, Optional.empty()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("quarkus.http.proxy.proxy-address-forwarding")
                .hasMessageContaining("quarkus.http.proxy.trusted-proxies");
        assertThatThrownBy(() -> ProxyForwarding.check(true, Optional.of(List.of(" "))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void forwardingFromNamedProxiesOrNoForwardingStarts() {
        assertThatCode(() -> ProxyForwarding.check(true, Optional.of(List.of("10.0.0.5")))).doesNotThrowAnyException();
        assertThatCode(() -> ProxyForwarding.check(false, Optional.empty())).doesNotThrowAnyException();
    }
}
