package dev.qrauth.protocol.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A user name and password for HTTP Basic authentication (RFC 7617, UTF-8): the one place that
 * writes such an {@code Authorization} header ({@link #header()}) and that reads one, strictly
 * ({@link #parse}). The token server's API clients, devices, administrator and its callbacks to
 * portals all use it.
 */
public record BasicCredentials(String username, String password) {

    private static final int MAX_HEADER_LENGTH = 1024;

    /** The credentials in {@code header}, or empty when it is absent or not well-formed Basic. */
    public static Optional<BasicCredentials> parse(String header) {
        if (header == null || header.length() > MAX_HEADER_LENGTH || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            byte[] decoded = Base64.getDecoder().decode(header.substring(6).trim());
            String pair = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(decoded)).toString();
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                return Optional.empty();
            }
            return Optional.of(new BasicCredentials(pair.substring(0, colon), pair.substring(colon + 1)));
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /**
     * Credentials sent as {@code client_id} and {@code client_secret} in a form, held to the same
     * rules as a header's: both present and non-empty, the id without {@code ':'}, neither longer
     * than a header could carry. Empty when they do not pass.
     */
    public static Optional<BasicCredentials> fromForm(String clientId, String clientSecret) {
        if (clientId == null || clientSecret == null || clientId.isEmpty() || clientSecret.isEmpty()
                || clientId.indexOf(':') >= 0 || clientId.length() + clientSecret.length() > MAX_HEADER_LENGTH) {
            return Optional.empty();
        }
        return Optional.of(new BasicCredentials(clientId, clientSecret));
    }

    /**
     * The value of an {@code Authorization} header carrying these credentials. A user name with
     * {@code ':'} cannot be sent this way: the receiver would end it at the first one.
     */
    public String header() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ':' + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "BasicCredentials[" + username + ", <redacted>]";
    }
}
