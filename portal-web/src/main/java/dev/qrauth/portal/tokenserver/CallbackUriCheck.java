package dev.qrauth.portal.tokenserver;

import dev.qrauth.portal.PortalConfig;
import dev.qrauth.portalclient.PortalClient;
import dev.qrauth.portalclient.TokenServerException;
import dev.qrauth.portalclient.TokenServerRefusedException;
import dev.qrauth.portalclient.TokenServerUnreachableException;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

/**
 * Asks the token server once, at start and in the background, whether it accepts the callback URI
 * the portal sends ({@code POST .../authenticate/callback-uri}), and logs the answer: a refused URI
 * would otherwise show only at the first login. The token server may start after the portal (as
 * {@code bin/demo} starts both at once), so while it cannot be reached, or answers that it is busy,
 * the portal asks again after a growing pause, until {@code portal.callback-uri-check.give-up-after}
 * has passed. Nothing here delays the start or fails it; the answer is only logged.
 */
@ApplicationScoped
public class CallbackUriCheck {

    private static final Logger LOG = Logger.getLogger(CallbackUriCheck.class);
    /** The pause after the first failed attempt; it doubles (with jitter) up to {@link #LONGEST_PAUSE}. */
    static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(15);

    private final PortalClient tokenServer;
    private final PortalConfig.CallbackUriCheck settings;
    private final URI tokenServerUrl;
    private final ManagedExecutor executor;
    private volatile Cancellable running;

    CallbackUriCheck(PortalClient tokenServer, PortalConfig config, ManagedExecutor executor) {
        this.tokenServer = tokenServer;
        this.settings = config.callbackUriCheck();
        this.tokenServerUrl = config.tokenServer().url();
        this.executor = executor;
    }

    /**
     * Starts asking about {@code callbackUri} and returns at once; does nothing when
     * {@code portal.callback-uri-check.enabled} is false.
     */
    public void start(URI callbackUri) {
        Objects.requireNonNull(callbackUri, "callbackUri == null");
        if (!settings.enabled()) {
            return;
        }
        Duration giveUpAfter = settings.giveUpAfter();
        running = Uni.createFrom().item(() -> {
                    tokenServer.checkCallbackUri(callbackUri);
                    return callbackUri;
                })
                .runSubscriptionOn(executor)
                .onFailure(CallbackUriCheck::isPassing).retry()
                .withBackOff(FIRST_PAUSE, LONGEST_PAUSE)
                .expireIn(Math.max(1, giveUpAfter.toMillis()))
                .subscribe().with(
                        accepted -> LOG.infof("the token server accepts the callback URI %s", accepted),
                        failure -> report(callbackUri, giveUpAfter, failure));
    }

    void stop(@Observes ShutdownEvent event) {
        Cancellable check = running;
        if (check != null) {
            check.cancel();
        }
    }

    /** A failure that may pass by itself: no answer yet, or an answer that the server is busy. */
    private static boolean isPassing(Throwable failure) {
        if (failure instanceof TokenServerUnreachableException) {
            return true;
        }
        return failure instanceof TokenServerRefusedException refused
                && (refused.status() == 429 || refused.status() >= 500);
    }

    private void report(URI callbackUri, Duration giveUpAfter, Throwable failure) {
        if (failure instanceof TokenServerRefusedException refused
                && refused.refusedParameter().filter("callback_uri"::equals).isPresent()) {
            LOG.warnf("checked at start: %s", new CallbackUriRefusedException(callbackUri, refused).getMessage());
        } else if (failure instanceof TokenServerRefusedException refused
                && (refused.status() == 404 || refused.status() == 405)) {
            // A token server of an earlier version, or another product of the Onegini v4 API.
            LOG.infof("the token server at %s cannot check a callback URI in advance (HTTP %d): the first login "
                    + "will show whether it accepts the callback URI %s", tokenServerUrl, refused.status(), callbackUri);
        } else if (failure instanceof TokenServerException answered) {
            LOG.warnf("could not check at start whether the token server accepts the callback URI %s: %s",
                    callbackUri, answered.getMessage());
        } else if (failure.getCause() instanceof TokenServerException last && isPassing(last)) {
            // The retry ran out of time; it gives up with the last failure as the cause.
            LOG.warnf("gave up after %d s (portal.callback-uri-check.give-up-after) asking the token server at %s "
                    + "whether it accepts the callback URI %s; the first login will show it. Last failure: %s",
                    giveUpAfter.toSeconds(), tokenServerUrl, callbackUri, last.getMessage());
        } else {
            LOG.warnf(failure, "could not check at start whether the token server accepts the callback URI %s",
                    callbackUri);
        }
    }
}
