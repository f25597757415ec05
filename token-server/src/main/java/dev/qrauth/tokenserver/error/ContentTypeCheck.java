package dev.qrauth.tokenserver.error;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qrauth.tokenserver.security.NoStoreHeaders;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * Refuses a request whose {@code Content-Type} is not a media type at all ({@code ;;;},
 * {@code garbage}) with {@code 415} and the error body of its API, before the REST layer sees it.
 * The REST layer answers most such requests with the same {@code 415}, but where one path has
 * methods for several media types it parses the header to choose among them, and its parse error
 * escaped as an unexpected failure: {@code 500 Internal error} on disableMobileAuthentication,
 * found by the hostile-input suite. A well-formed type the endpoint does not take is still the
 * REST layer's to refuse.
 */
@ApplicationScoped
public class ContentTypeCheck {

    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        // After the body size limit, so that a body over 64 KiB is refused as too large whatever its type.
        router.route().order(NoStoreHeaders.ORDER + 2).handler(context -> {
            if (isMediaType(context.request().headers().getAll(HttpHeaders.CONTENT_TYPE))) {
                context.next();
            } else {
                EarlyRefusal.send(context, json, 415, "Unsupported media type");
            }
        });
    }

    /** Whether every one of the header's values (usually one, often none) parses as a media type. */
    static boolean isMediaType(List<String> contentTypes) {
        for (String contentType : contentTypes) {
            try {
                MediaType.valueOf(contentType);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return true;
    }
}
