package dev.qrauth.portal.web;

import dev.qrauth.portal.challenge.Challenge;
import dev.qrauth.portal.challenge.ChallengeView;
import dev.qrauth.portal.challenge.Challenges;
import dev.qrauth.portal.challenge.Purpose;
import dev.qrauth.portal.session.CurrentSession;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.util.function.Consumer;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * The live side of a login or approval page, for the browser session that started it and nobody
 * else: nothing here takes an id, everything is found through the session cookie.
 */
@Path("/challenge/{purpose}")
public class ChallengeResource {

    private final CurrentSession currentSession;
    private final Challenges challenges;
    private final Clock clock;

    ChallengeResource(CurrentSession currentSession, Challenges challenges, Clock clock) {
        this.currentSession = currentSession;
        this.challenges = challenges;
        this.clock = clock;
    }

    /** The QR image of this session's current code. */
    @GET
    @Path("/qr.png")
    @Produces("image/png")
    public byte[] qr(@PathParam("purpose") String purpose) {
        Challenge challenge = challenge(purpose);
        challenge.seen(clock.instant());
        return challenge.qrPng().orElseThrow(NotFoundException::new);
    }

    /** The state now, for browsers without server-sent events. */
    @GET
    @Path("/status")
    @Produces(MediaType.APPLICATION_JSON)
    public ChallengeView status(@PathParam("purpose") String purpose) {
        Challenge challenge = challenge(purpose);
        challenge.seen(clock.instant());
        return challenge.view(clock.instant());
    }

    /**
     * The code the phone shows, typed into this browser (reverse code entry). Back to the page,
     * which shows whether it was right.
     */
    @POST
    @Path("/reverse-code")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reverseCode(@PathParam("purpose") String purpose, @RestForm String csrf, @RestForm String code) {
        currentSession.requireForm(csrf);
        Challenge challenge = challenge(purpose);
        challenge.seen(clock.instant());
        challenges.submitReverseCode(challenge, code);
        return Response.seeOther(URI.create(challenge.purpose().pagePath())).build();
    }

    /** The state now and at every change, until the challenge is decided. */
    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<ChallengeView> events(@PathParam("purpose") String purpose) {
        Challenge challenge = challenge(purpose);
        if (!challenge.acceptsWatchers()) {
            throw new WebApplicationException(Response.status(Response.Status.TOO_MANY_REQUESTS)
                    .header("Retry-After", 5).build());
        }
        return Multi.createFrom().emitter(emitter -> {
            Consumer<ChallengeView> watcher = view -> {
                emitter.emit(view);
                if (!view.open()) {
                    emitter.complete();
                }
            };
            emitter.onTermination(() -> challenge.unwatch(watcher));
            if (!challenge.watch(watcher, clock.instant())) {
                // Another stream took the last place since the check above.
                emitter.complete();
            }
        });
    }

    private Challenge challenge(String purpose) {
        Purpose known = Purpose.fromPathSegment(purpose).orElseThrow(NotFoundException::new);
        Challenge challenge = currentSession.find().flatMap(s -> s.challenge(known)).orElseThrow(NotFoundException::new);
        // A login's code is shown only to the browser that started it: one holding a planted
        // session id could otherwise scan it with its own phone and log the victim in as itself.
        if (known == Purpose.LOGIN && !currentSession.loginBinding().map(challenge::isBoundTo).orElse(false)) {
            throw new NotFoundException();
        }
        return challenge;
    }
}
