package dev.qrauth.tokenserver.client;

import java.net.URI;
import java.net.URISyntaxException;

/** The rules for a callback URI: absolute http or https, with a host, no user info, no fragment. */
public final class CallbackUris {

    public static final int MAX_LENGTH = 2048;

    private CallbackUris() {
    }

    /** Why {@code value} is not an acceptable callback URI, or null when it is. */
    public static String problem(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return "must be 1 to " + MAX_LENGTH + " characters";
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return "is not a URI";
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            return "must be http or https";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "must name a host";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not carry user info";
        }
        if (uri.getRawFragment() != null) {
            return "must not carry a fragment";
        }
        return null;
    }
}
