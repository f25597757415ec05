package dev.qrauth.tokenserver.callback;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a callback URI's host, once per attempt: the addresses returned are the ones checked
 * and the one connected to ({@link CallbackTransport}). A bean of its own so that tests can answer
 * for names that have no DNS records.
 */
@ApplicationScoped
public class CallbackResolver {

    /**
     * The host's addresses, in the order the system resolver gives them.
     *
     * @param host a name or an address literal (IPv6 in brackets or not); a literal is not looked up
     */
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        return List.of(InetAddress.getAllByName(host));
    }
}
