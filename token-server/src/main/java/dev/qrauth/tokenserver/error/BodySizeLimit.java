package dev.qrauth.tokenserver.error;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

/**
 * Refuses a request whose declared body is over 64 KiB before anything reads it, with the error
 * body of its API. A chunked body without a length is cut off by
 * {@code quarkus.http.limits.max-body-size} at the same size.
 */
@ApplicationScoped
public class BodySizeLimit {

    public static final long MAX_BODY_BYTES = 64 * 1024;

    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (declared != null && isOverLimit(declared)) {
                Response refusal = ApiFamily.of(context.request().path()).refuse(413, "Request too large");
                try {
                    context.response()
                            .setStatusCode(413)
                            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                            .putHeader(HttpHeaders.CONNECTION, "close")
                            .end(json.writeValueAsString(refusal.getEntity()));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    context.fail(e);
                }
                return;
            }
            context.next();
        });
    }

    private static boolean isOverLimit(String declared) {
        try {
            return Long.parseLong(declared.trim()) > MAX_BODY_BYTES;
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
