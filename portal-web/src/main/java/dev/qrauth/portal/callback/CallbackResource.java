package dev.qrauth.portal.callback;

import dev.qrauth.portal.PortalConfig;
import dev.qrauth.portal.challenge.Challenges;
import dev.qrauth.portalclient.CallbackVerification;
import dev.qrauth.portalclient.CallbackVerifier;
import dev.qrauth.protocol.callback.CallbackSignature;
import io.quarkus.runtime.Startup;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
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
    private final CallbackVerifier verifier;

    CallbackResource(Challenges challenges, PortalConfig config, Clock clock) {
        this.challenges = challenges;
        if (config.callbackUsername().isPresent() != config.callbackPassword().isPresent()) {
            throw new IllegalStateException("set portal.callback-username and portal.callback-password together, or neither");
        }
        CallbackVerifier.Builder verifier = CallbackVerifier.builder(config.callbackSigningSecret()).clock(clock);
        config.callbackUsername().ifPresent(user -> verifier.credentials(user, config.callbackPassword().orElseThrow()));
        this.verifier = verifier.build();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response receive(byte[] body,
                            @HeaderParam(CallbackSignature.HEADER) String signature,
                            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        CallbackVerification checked = verifier.verify(authorization, signature, body);
        switch (checked.verdict()) {
            case ACCEPTED:
                break;
            case WRONG_CREDENTIALS:
                LOG.warn("refused a callback with wrong or missing credentials");
                return refused(Response.Status.UNAUTHORIZED, "unauthorized", "Wrong or missing credentials")
                        .header(HttpHeaders.WWW_AUTHENTICATE, "Basic").build();
            case UNREADABLE_BODY:
                return refused(Response.Status.BAD_REQUEST, "invalid_request", "The body is not a callback").build();
            default:
                LOG.warnf("refused a callback: %s", checked.verdict());
                return refused(Response.Status.UNAUTHORIZED, "invalid_signature", "The X-Signature does not verify").build();
        }
        UUID transactionId = checked.notification().transactionId();
        if (challenges.isWaitingFor(transactionId)) {
            challenges.refreshLater(transactionId);
        }
        return Response.noContent().build();
    }

    /** A refusal with a small JSON body, so the token server's delivery log says why. */
    private static Response.ResponseBuilder refused(Response.Status status, String error, String description) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", error, "error_description", description));
    }
}
