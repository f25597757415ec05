package dev.qrauth.tokenserver.transaction;

import dev.qrauth.protocol.message.Proximity;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Compares the address the phone fetched from with the browser's address the portal passed at
 * initiation, {@code docs/PROTOCOL.md} "Proximity": the same address, the same IPv4 /24 or IPv6
 * /48, and otherwise, with a GeoIP database, whether the two are in different countries.
 *
 * <p>Autonomous systems (an ASN database) are not compared yet; see {@code docs/RELIABILITY.md},
 * "Residual risks".
 */
@ApplicationScoped
public class ProximityCheck {

    /** Only IP literals reach {@link InetAddress#getByName}, so no name is ever looked up. */
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final int IPV4_NETWORK_BYTES = 3;
    private static final int IPV6_NETWORK_BYTES = 6;

    private final Geolocation geolocation;

    ProximityCheck(Geolocation geolocation) {
        this.geolocation = geolocation;
    }

    /** How close {@code phoneAddress} is to {@code browserAddress}; either may be null. */
    public Proximity classify(String browserAddress, String phoneAddress) {
        InetAddress browser = literal(browserAddress);
        InetAddress phone = literal(phoneAddress);
        if (browser == null || phone == null) {
            return Proximity.UNKNOWN;
        }
        if (browser.equals(phone)) {
            return Proximity.SAME_ADDRESS;
        }
        int networkBytes = browser instanceof Inet4Address && phone instanceof Inet4Address ? IPV4_NETWORK_BYTES
                : browser instanceof Inet6Address && phone instanceof Inet6Address ? IPV6_NETWORK_BYTES : 0;
        if (networkBytes > 0 && Arrays.equals(browser.getAddress(), 0, networkBytes, phone.getAddress(), 0, networkBytes)) {
            return Proximity.SAME_NETWORK;
        }
        String browserCountry = geolocation.country(browser.getHostAddress());
        String phoneCountry = geolocation.country(phone.getHostAddress());
        if (browserCountry != null && phoneCountry != null && !browserCountry.equals(phoneCountry)) {
            return Proximity.OTHER_COUNTRY;
        }
        return Proximity.OTHER_NETWORK;
    }

    private static InetAddress literal(String address) {
        if (address == null) {
            return null;
        }
        // A scoped IPv6 address (fe80::1%eth0) names the interface it arrived on; the scope does
        // not change which network the address is in.
        int scope = address.indexOf('%');
        String bare = scope < 0 ? address : address.substring(0, scope);
        if (!IP_LITERAL.matcher(bare).matches() || !(bare.contains(":") || bare.contains("."))) {
            return null;
        }
        try {
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
