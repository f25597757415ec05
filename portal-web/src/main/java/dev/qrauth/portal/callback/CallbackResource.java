package dev.qrauth.portal.callback;

import dev.qrauth.portal.PortalConfig;
import dev.qrauth.portal.challenge.Challenges;
import dev.qrauth.protocol.callback.CallbackSignature;
import dev.qrauth.protocol.json.ProtocolFormatException;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.portal.CallbackNotification;
import io.quarkus.runtime.Startup;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Receives the token server's callbacks ({@code docs/PROTOCOL.md}, "Callbacks"), in the order
 * the spec asks of a receiver: check the credentials and the signature over the raw bytes before
 * anything else, answer {@code 204} at once, and read the result from the token server on another
 * thread. The callback itself is never taken as the result, so a replayed or reordered callback
 * can only cause one more read.
 */
@Startup // refuse a half-configured callback password when the portal starts, not at the first callback
@Path(Challenges.CALLBACK_PATH)
public class CallbackResource {

    private static final Logger LOG = Logger.getLogger(CallbackResource.class);

    private final Challenges challenges;
    private final String signingSecret;
    private final byte[] expectedAuthorization;

    CallbackResource(Challenges challenges, PortalConfig config) {
        this.challenges = challenges;
        this.signingSecret = config.callbackSigningSecret();
        if (config.callbackUsername().isPresent() != config.callbackPassword().isPresent()) {
            throw new IllegalStateException("set portal.callback-username and portal.callback-password together, or neither");
        }
        this.expectedAuthorization = config.callbackUsername()
                .map(user -> ("Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + config.callbackPassword().orElseThrow()).getBytes(StandardCharsets.UTF_8)))
                        .getBytes(StandardCharsets.UTF_8))
                .orElse(null);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response receive(byte[] body,
                            @HeaderParam(CallbackSignature.HEADER) String signature,
                            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (expectedAuthorization != null && !MessageDigest.isEqual(expectedAuthorization,
                authorization == null ? new byte[0] : authorization.getBytes(StandardCharsets.UTF_8))) {
            LOG.warn("refused a callback with wrong or missing credentials");
            return refused(Response.Status.UNAUTHORIZED, "unauthorized", "Wrong or missing credentials")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Basic").build();
        }
        CallbackSignature.Outcome outcome = CallbackSignature.verify(
                signingSecret, signature, body, Instant.now(), CallbackSignature.DEFAULT_TOLERANCE);
        if (outcome != CallbackSignature.Outcome.VALID) {
            LOG.warnf("refused a callback: signature %s", outcome);
            return refused(Response.Status.UNAUTHORIZED, "invalid_signature", "The X-Signature does not verify").build();
        }
        CallbackNotification notification;
        try {
            notification = ProtocolJson.read(body, CallbackNotification.class);
        } catch (ProtocolFormatException e) {
            return refused(Response.Status.BAD_REQUEST, "invalid_request", "The body is not a callback").build();
        }
        if (notification == null) {
            return refused(Response.Status.BAD_REQUEST, "invalid_request", "The body is not a callback").build();
        }
        if (notification.transactionId() != null && challenges.isWaitingFor(notification.transactionId())) {
            challenges.refreshLater(notification.transactionId());
        }
        return Response.noContent().build();
    }

    /** A refusal with a small JSON body, so the token server's delivery log says why. */
    private static Response.ResponseBuilder refused(Response.Status status, String error, String description) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", error, "error_description", description));
    }
}
