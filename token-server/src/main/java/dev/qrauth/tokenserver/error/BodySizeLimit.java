package dev.qrauth.tokenserver.error;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qrauth.tokenserver.security.NoStoreHeaders;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

/**
 * Refuses a request whose body is over 64 KiB with {@code 413} and the error body of its API.
 * A declared body ({@code Content-Length}) is refused before any of it is read. A body without a
 * length (chunked) is read here, up to the limit, before anything else sees it: past the limit
 * it is refused the same way, and under it the application reads the bytes kept here. (Left to
 * the REST layer, an over-long chunked body got a bare {@code 413} and two ERROR stack traces.)
 */
@ApplicationScoped
public class BodySizeLimit {

    public static final long MAX_BODY_BYTES = 64 * 1024;

    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        router.route().order(NoStoreHeaders.ORDER + 1).handler(context -> {
            HttpServerRequest request = context.request();
            String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (declared != null) {
                if (isOverLimit(declared)) {
                    refuse(context);
                } else {
                    context.next();
                }
                return;
            }
            // Only an HTTP/1.1 chunked body is read here. An HTTP/2 stream (including a request
            // upgraded from HTTP/1.1 with "Upgrade: h2c", as the JDK client sends by default)
            // must be left to the REST layer, which reads it itself: reading it here too made
            // every such request fail with "Request has already been read".
            if (request.isEnded() || request.version() == HttpVersion.HTTP_2
                    || !request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
                context.next();
                return;
            }
            readBounded(context);
        });
    }

    /** Reads a body of unknown length into the context, or refuses it once it passes the limit. */
    private void readBounded(RoutingContext context) {
        HttpServerRequest request = context.request();
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > MAX_BODY_BYTES) {
                refused[0] = true;
                refuse(context);
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(end -> {
            if (!refused[0]) {
                context.setBody(body);
                context.next();
            }
        });
        // A client that goes away mid-body has nobody to answer; the connection is closed.
        request.exceptionHandler(failure -> refused[0] = true);
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            context.response().writeContinue();
        }
        request.resume();
    }

    private void refuse(RoutingContext context) {
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
    }

    private static boolean isOverLimit(String declared) {
        try {
            return Long.parseLong(declared.trim()) > MAX_BODY_BYTES;
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
