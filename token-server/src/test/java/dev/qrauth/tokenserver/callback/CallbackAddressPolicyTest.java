package dev.qrauth.tokenserver.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where callbacks of clients without an allow-list may go. Pure classification of address
 * literals: nothing here resolves a name or sends anything anywhere.
 */
class CallbackAddressPolicyTest {

    /** A policy on a host that has no addresses of its own, so only the ranges decide. */
    private final CallbackAddressPolicy ranges = new CallbackAddressPolicy(List::of);

    private static InetAddress literal(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Nested
    class Ipv4 {

        @ParameterizedTest(name = "{0} is refused as {1}")
        @CsvSource(delimiter = '|', value = {
                "0.0.0.0         | 0.0.0.0/8",
                "0.1.2.3         | 0.0.0.0/8",
                "10.1.2.3        | 10.0.0.0/8",
                "100.64.0.1      | 100.64.0.0/10",
                "100.127.255.254 | 100.64.0.0/10",
                "127.0.0.1       | 127.0.0.0/8",
                "127.255.0.9     | 127.0.0.0/8",
                "169.254.169.254 | 169.254.0.0/16",
                "172.16.0.1      | 172.16.0.0/12",
                "172.31.255.255  | 172.16.0.0/12",
                "192.0.0.9       | 192.0.0.0/24",
                "192.0.0.170     | 192.0.0.0/24",
                "192.0.2.1       | 192.0.2.0/24",
                "192.31.196.1    | 192.31.196.0/24",
                "192.52.193.1    | 192.52.193.0/24",
                "192.88.99.1     | 192.88.99.0/24",
                "192.168.1.1     | 192.168.0.0/16",
                "192.175.48.1    | 192.175.48.0/24",
                "198.18.0.1      | 198.18.0.0/15",
                "198.19.255.255  | 198.18.0.0/15",
                "198.51.100.7    | 198.51.100.0/24",
                "203.0.113.7     | 203.0.113.0/24",
                "224.0.0.1       | 224.0.0.0/4",
                "239.255.255.250 | 224.0.0.0/4",
                "240.0.0.1       | 240.0.0.0/4",
                "255.255.255.255 | 255.255.255.255/32",
        })
        void specialPurposeAddressesAreRefused(String address, String block) throws Exception {
            assertThat(ranges.refusal(literal(address))).contains(block);
        }

        @ParameterizedTest(name = "{0} is accepted")
        @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.215.14", "100.63.255.255", "100.128.0.0", "172.15.255.255",
                "172.32.0.0", "192.0.1.255", "192.0.3.0", "198.17.255.255", "198.20.0.0", "223.255.255.255", "9.255.255.255",
                "11.0.0.0", "126.255.255.255", "128.0.0.0"})
        void publicAddressesAreAccepted(String address) throws Exception {
            assertThat(ranges.refusal(literal(address))).isNull();
        }
    }

    @Nested
    class Ipv6 {

        @ParameterizedTest(name = "{0} is refused as {1}")
        @CsvSource(delimiter = '|', value = {
                "::                        | ::/128",
                "::1                       | ::1/128",
                "::127.0.0.1               | ::/96",
                "::8.8.8.8                 | ::/96",
                "64:ff9b:1::808:808        | 64:ff9b:1::/48",
                "100::1                    | 100::/64",
                "100:0:0:1::1              | outside global unicast",
                "2001::1                   | 2001::/32",
                "2001:0:4136:e378::1       | 2001::/32",
                "2001:2::1                 | 2001::/23",
                "2001:20::1                | 2001::/23",
                "2001:1ff:ffff::1          | 2001::/23",
                "2001:db8::1               | 2001:db8::/32",
                "2620:4f:8000::1           | 2620:4f:8000::/48",
                "3fff::1                   | 3fff::/20",
                "5f00::1                   | 5f00::/16",
                "fc00::1                   | fc00::/7",
                "fd12:3456:789a::1         | fc00::/7",
                "fe80::1                   | fe80::/10",
                "febf:ffff::1              | fe80::/10",
                "fec0::1                   | fec0::/10",
                "ff02::1                   | ff00::/8",
                "ff0e::1                   | ff00::/8",
                "4000::1                   | outside global unicast",
                "1fff:ffff::1              | outside global unicast",
        })
        void specialPurposeAddressesAreRefused(String address, String block) throws Exception {
            assertThat(ranges.refusal(literal(address))).contains(block);
        }

        @ParameterizedTest(name = "{0} is refused as {1}")
        @CsvSource(delimiter = '|', value = {
                "64:ff9b::127.0.0.1      | 64:ff9b::/96",
                "64:ff9b::7f00:1         | 127.0.0.0/8",
                "64:ff9b::a9fe:a9fe      | 169.254.0.0/16",
                "64:ff9b::10.0.0.1       | 10.0.0.0/8",
                "64:ff9b::100.64.0.1     | 100.64.0.0/10",
                "2002:7f00:1::1          | 2002::/16",
                "2002:7f00:1::1          | 127.0.0.0/8",
                "2002:c0a8:101::1        | 192.168.0.0/16",
                "2002:a9fe:a9fe::1       | 169.254.0.0/16",
        })
        void embeddedIpv4AddressesAreJudgedByTheIpv4Address(String address, String named) throws Exception {
            assertThat(ranges.refusal(literal(address))).contains(named);
        }

        @Test
        void ipv4MappedAddressesAreJudgedByTheIpv4Address() throws Exception {
            // Java reads ::ffff:a.b.c.d as the IPv4 address itself ...
            assertThat(ranges.refusal(literal("::ffff:127.0.0.1"))).contains("127.0.0.0/8");
            assertThat(ranges.refusal(literal("::ffff:8.8.8.8"))).isNull();
            // ... and an IPv6 object in the mapped form is judged the same.
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            mapped[12] = (byte) 169;
            mapped[13] = (byte) 254;
            mapped[14] = (byte) 169;
            mapped[15] = (byte) 254;
            InetAddress asIpv6 = Inet6Address.getByAddress(null, mapped, -1);
            assertThat(asIpv6).isInstanceOf(Inet6Address.class);
            assertThat(ranges.refusal(asIpv6)).contains("::ffff:0:0/96").contains("169.254.0.0/16");
            mapped[12] = 8;
            mapped[13] = 8;
            mapped[14] = 8;
            mapped[15] = 8;
            assertThat(ranges.refusal(Inet6Address.getByAddress(null, mapped, -1))).isNull();
        }

        @ParameterizedTest(name = "{0} is accepted")
        @ValueSource(strings = {"2606:4700:4700::1111", "2a00:1450:4001:82a::200e", "2001:200::1", "2001:4860:4860::8888",
                "2003::1", "64:ff9b::808:808", "64:ff9b::1.1.1.1", "2002:808:808::1"})
        void publicAddressesAreAccepted(String address) throws Exception {
            assertThat(ranges.refusal(literal(address))).isNull();
        }
    }

    @Nested
    class ThisHost {

        @Test
        void anAddressOfThisHostIsRefusedWhateverItsRange() throws Exception {
            List<InetAddress> own = List.of(literal("8.8.4.4"), literal("2a00:1450:4001:82a::200e"));
            CallbackAddressPolicy policy = new CallbackAddressPolicy(() -> own);
            assertThat(policy.refusal(literal("8.8.4.4"))).isEqualTo("an address of this host");
            assertThat(policy.refusal(literal("2a00:1450:4001:82a::200e"))).isEqualTo("an address of this host");
            assertThat(policy.refusal(literal("64:ff9b::8.8.4.4"))).contains("an address of this host");
            assertThat(policy.refusal(literal("2002:808:404::1"))).contains("an address of this host");
            assertThat(policy.refusal(literal("8.8.8.8"))).isNull();
        }

        @Test
        void everyAddressBoundOnThisMachineIsRefused() throws Exception {
            CallbackAddressPolicy policy = CallbackAddressPolicy.forThisHost();
            int seen = 0;
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    assertThat(policy.refusal(address)).as(address.toString()).isNotNull();
                    seen++;
                }
            }
            assertThat(seen).as("at least loopback is bound").isPositive();
        }
    }
}
