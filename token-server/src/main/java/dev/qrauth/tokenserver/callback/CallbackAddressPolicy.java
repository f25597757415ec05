package dev.qrauth.tokenserver.callback;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Which addresses a callback of a client without an allow-list may go to: {@code docs/PROTOCOL.md},
 * "Callbacks", "Delivery". Such a client may name any URI, so the server must not be made to call
 * into its own host or network, or anywhere that is not an ordinary public unicast address.
 *
 * <p>Refused: every block of the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890,
 * RFC 8190), IPv4 and IPv6 multicast, the deprecated IPv6 site-local and IPv4-compatible forms,
 * IPv6 outside the global unicast block 2000::/3, and every address bound to one of this host's
 * interfaces. A few registry blocks are marked globally reachable (anycast services such as PCP,
 * TURN, AS112, AMT, ORCHIDv2): they are refused too, because none of them is ever a portal. Two
 * IPv6 forms carry an IPv4 address that a gateway will reach for us, and are judged by that IPv4
 * address: IPv4-mapped ::ffff:0:0/96 and the NAT64 well-known prefix 64:ff9b::/96; 6to4 2002::/16
 * is judged the same way.
 *
 * <p>This is pure classification: nothing is sent anywhere to decide.
 */
final class CallbackAddressPolicy {

    /** A block of addresses: the first {@code bits} bits of {@code prefix}. */
    private record Block(byte[] prefix, int bits, String name) {

        static Block of(String cidr, String name) {
            int slash = cidr.indexOf('/');
            byte[] prefix = literal(cidr.substring(0, slash));
            return new Block(prefix, Integer.parseInt(cidr.substring(slash + 1)), name + " (" + cidr + ")");
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[whole] & mask) == (prefix[whole] & mask);
        }
    }

    // Facts from the IANA IPv4 Special-Purpose Address Registry, each block with the RFC that
    // reserved it. All of them are marked not globally reachable except 192.31.196.0/24,
    // 192.52.193.0/24, 192.175.48.0/24 and some single addresses in 192.0.0.0/24 (anycast
    // services). 255.255.255.255/32 (limited broadcast) lies in 240.0.0.0/4. Multicast 224.0.0.0/4
    // (RFC 5771) is in the separate multicast registry.
    private static final List<Block> IPV4 = List.of(
            Block.of("0.0.0.0/8", "\"this network\", RFC 791"),
            Block.of("10.0.0.0/8", "private use, RFC 1918"),
            Block.of("100.64.0.0/10", "shared address space (carrier-grade NAT), RFC 6598"),
            Block.of("127.0.0.0/8", "loopback, RFC 1122"),
            Block.of("169.254.0.0/16", "link-local, RFC 3927"),
            Block.of("172.16.0.0/12", "private use, RFC 1918"),
            Block.of("192.0.0.0/24", "IETF protocol assignments, RFC 6890"),
            Block.of("192.0.2.0/24", "documentation TEST-NET-1, RFC 5737"),
            Block.of("192.31.196.0/24", "AS112-v4, RFC 7535"),
            Block.of("192.52.193.0/24", "AMT, RFC 7450"),
            Block.of("192.88.99.0/24", "deprecated 6to4 relay anycast, RFC 7526"),
            Block.of("192.168.0.0/16", "private use, RFC 1918"),
            Block.of("192.175.48.0/24", "direct delegation AS112 service, RFC 7534"),
            Block.of("198.18.0.0/15", "benchmarking, RFC 2544"),
            Block.of("198.51.100.0/24", "documentation TEST-NET-2, RFC 5737"),
            Block.of("203.0.113.0/24", "documentation TEST-NET-3, RFC 5737"),
            Block.of("224.0.0.0/4", "multicast, RFC 5771"),
            Block.of("255.255.255.255/32", "limited broadcast, RFC 919"),
            Block.of("240.0.0.0/4", "reserved, RFC 1112"));

    // Facts from the IANA IPv6 Special-Purpose Address Registry, each block with the RFC that
    // reserved it; the embedded-IPv4 forms are handled in refusal(byte[]) before this list. The
    // registry splits 2001::/23 (IETF protocol assignments, not globally reachable as a whole)
    // into Teredo 2001::/32, benchmarking 2001:2::/48, AMT 2001:3::/32, AS112-v6 2001:4:112::/48,
    // ORCHIDv2 2001:20::/28, drone remote ID 2001:30::/28 and a few anycast addresses; refusing the
    // whole /23 covers them. Not in that registry but refused: deprecated site-local fec0::/10
    // (RFC 3879) and multicast ff00::/8 (RFC 4291); anything else outside 2000::/3 is not
    // allocated as global unicast in the IANA IPv6 Address Space registry (this also covers
    // discard-only 100::/64, RFC 6666, and SRv6 SIDs 5f00::/16, RFC 9602).
    private static final List<Block> IPV6 = List.of(
            Block.of("::1/128", "loopback, RFC 4291"),
            Block.of("::/128", "unspecified, RFC 4291"),
            Block.of("::/96", "deprecated IPv4-compatible, RFC 4291"),
            Block.of("64:ff9b:1::/48", "local-use IPv4/IPv6 translation, RFC 8215"),
            Block.of("100::/64", "discard-only, RFC 6666"),
            Block.of("2001::/32", "Teredo, RFC 4380"),
            Block.of("2001::/23", "IETF protocol assignments, RFC 2928"),
            Block.of("2001:db8::/32", "documentation, RFC 3849"),
            Block.of("2620:4f:8000::/48", "direct delegation AS112 service, RFC 7534"),
            Block.of("3fff::/20", "documentation, RFC 9637"),
            Block.of("5f00::/16", "SRv6 SIDs, RFC 9602"),
            Block.of("fc00::/7", "unique local, RFC 4193"),
            Block.of("fe80::/10", "link-local, RFC 4291"),
            Block.of("fec0::/10", "deprecated site-local, RFC 3879"),
            Block.of("ff00::/8", "multicast, RFC 4291"));

    private static final Block GLOBAL_UNICAST = Block.of("2000::/3", "IPv6 global unicast");
    private static final Block IPV4_MAPPED = Block.of("::ffff:0:0/96", "IPv4-mapped");
    private static final Block NAT64 = Block.of("64:ff9b::/96", "NAT64 well-known prefix, RFC 6052");
    private static final Block SIX_TO_FOUR = Block.of("2002::/16", "6to4, RFC 3056");

    private final Supplier<Collection<InetAddress>> hostAddresses;

    /**
     * @param hostAddresses this host's own addresses, asked at every check because interfaces and
     *                      their addresses come and go while the server runs
     */
    CallbackAddressPolicy(Supplier<Collection<InetAddress>> hostAddresses) {
        this.hostAddresses = Objects.requireNonNull(hostAddresses, "hostAddresses == null");
    }

    /** The policy for this host: its own addresses are those bound to its network interfaces. */
    static CallbackAddressPolicy forThisHost() {
        return new CallbackAddressPolicy(CallbackAddressPolicy::interfaceAddresses);
    }

    /**
     * Why a callback must not be sent to {@code address}, or {@code null} when it may be: an
     * ordinary public unicast address that is not this host's.
     */
    String refusal(InetAddress address) {
        Objects.requireNonNull(address, "address == null");
        String special = refusal(address.getAddress());
        if (special != null) {
            return special;
        }
        return isOwn(address.getAddress()) ? "an address of this host" : null;
    }

    private String refusal(byte[] address) {
        if (address.length == 4) {
            return firstContaining(IPV4, address);
        }
        if (IPV4_MAPPED.contains(address)) {
            return embedded(IPV4_MAPPED, Arrays.copyOfRange(address, 12, 16));
        }
        if (NAT64.contains(address)) {
            return embedded(NAT64, Arrays.copyOfRange(address, 12, 16));
        }
        if (SIX_TO_FOUR.contains(address)) {
            return embedded(SIX_TO_FOUR, Arrays.copyOfRange(address, 2, 6));
        }
        String special = firstContaining(IPV6, address);
        if (special != null) {
            return special;
        }
        return GLOBAL_UNICAST.contains(address) ? null : "IPv6 outside global unicast 2000::/3";
    }

    /** An IPv6 form that a gateway turns into an IPv4 address: as refused as that address. */
    private String embedded(Block form, byte[] ipv4) {
        String refused = firstContaining(IPV4, ipv4);
        if (refused == null && isOwn(ipv4)) {
            refused = "an address of this host";
        }
        return refused == null ? null : form.name() + " of " + refused;
    }

    private static String firstContaining(List<Block> blocks, byte[] address) {
        for (Block block : blocks) {
            if (block.contains(address)) {
                return block.name();
            }
        }
        return null;
    }

    private boolean isOwn(byte[] address) {
        // Compared as bytes: Inet6Address.equals would also weigh scope ids, which do not matter here.
        for (InetAddress own : hostAddresses.get()) {
            if (Arrays.equals(own.getAddress(), address)) {
                return true;
            }
        }
        return false;
    }

    private static Collection<InetAddress> interfaceAddresses() {
        try {
            List<InetAddress> addresses = new ArrayList<>();
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                addresses.addAll(Collections.list(nic.getInetAddresses()));
            }
            return addresses;
        } catch (SocketException e) {
            // Without the list no address can be shown not to be ours; refuse them all.
            throw new IllegalStateException("this host's addresses cannot be listed", e);
        }
    }

    /** The bytes of an address literal; never a name lookup (the table holds literals only). */
    private static byte[] literal(String text) {
        try {
            byte[] bytes = InetAddress.getByName(text).getAddress();
            if (bytes.length == 4 && text.contains(":")) {
                // Java turns ::ffff:a.b.c.d into an IPv4 address; keep the IPv6 form.
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xFF;
                mapped[11] = (byte) 0xFF;
                System.arraycopy(bytes, 0, mapped, 12, 4);
                return mapped;
            }
            return bytes;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: " + text, e);
        }
    }
}
