package dev.qrauth.tokenserver.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SourceAddressTest {

    @Test
    void sourceAddressesCountIpv6ByItsSlash64() {
        assertThat(SourceAddress.keyOf("2001:db8:1:2:aaaa:bbbb:cccc:dddd"))
                .isEqualTo(SourceAddress.keyOf("2001:db8:1:2::1")).endsWith("/64");
        assertThat(SourceAddress.keyOf("2001:db8:1:3::1")).isNotEqualTo(SourceAddress.keyOf("2001:db8:1:2::1"));
        assertThat(SourceAddress.keyOf("::ffff:192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(SourceAddress.keyOf("192.0.2.7")).isEqualTo("192.0.2.7");
    }
}
