package dev.qrauth.tokenserver.security;

import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.inject.Instance;
import java.util.Arrays;
import java.util.Optional;

/**
 * The source of the current request, as a budget key: the connection's remote address. No
 * forwarded header is believed (the token server is called directly by portals and phones), so
 * behind a reverse proxy every request has the proxy's address. An IPv6 address counts by its
 * /64, the block one subscriber usually gets, so one host cannot spread over its many addresses.
 */
@ApplicationScoped
public class SourceAddress {

    private final Instance<HttpServerRequest> request;

    SourceAddress(Instance<HttpServerRequest> request) {
        this.request = request;
    }

    /** The current request's address key, or empty outside an HTTP request. */
    public Optional<String> key() {
        try {
            SocketAddress remote = request.get().remoteAddress();
            return remote == null || remote.hostAddress() == null ? Optional.empty() : Optional.of(keyOf(remote.hostAddress()));
        } catch (ContextNotActiveException e) {
            return Optional.empty();
        }
    }

    /** The budget key of a literal IPv4 or IPv6 address: the address, or for IPv6 its /64. */
    static String keyOf(String literal) {
        // Parsed as a literal only, never looked up.
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
        if (bytes == null) {
            return literal;
        }
        if (isIpv4Mapped(bytes)) {
            return NetUtil.bytesToIpAddress(Arrays.copyOfRange(bytes, 12, 16));
        }
        if (bytes.length == 16) {
            Arrays.fill(bytes, 8, 16, (byte) 0);
            return NetUtil.bytesToIpAddress(bytes) + "/64";
        }
        return NetUtil.bytesToIpAddress(bytes);
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        if (bytes.length != 16 || bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
