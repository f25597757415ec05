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

/**
 * Refuses a request whose body is over 64 KiB with {@code 413} and the error body of its API, and
 * a form with broken percent-encoding with {@code 400}.
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
            if (declared != null && isOverLimit(declared)) {
                refuse(context);
                return;
            }
            if (isForm(request) && !request.isEnded() && request.version() != HttpVersion.HTTP_2) {
                // A form is read here and its percent-encoding checked: the REST layer parses
                // forms on the event loop for the hot path's endpoints, where broken encoding
                // ("%ZZ") escaped as an uncaught exception and the request was never answered.
                readBounded(context);
                return;
            }
            if (declared != null) {
                context.next();
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
            if (refused[0]) {
                return;
            }
            if (isForm(request) && !isWellEncoded(body)) {
                refuse(context, 400, "The form's percent-encoding is broken");
                return;
            }
            context.setBody(body);
            context.next();
        });
        // A client that goes away mid-body has nobody to answer; the connection is closed.
        request.exceptionHandler(failure -> refused[0] = true);
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            context.response().writeContinue();
        }
        request.resume();
    }

    private void refuse(RoutingContext context) {
        refuse(context, 413, "Request too large");
    }

    private void refuse(RoutingContext context, int status, String message) {
        EarlyRefusal.send(context, json, status, message);
    }

    private static boolean isForm(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        return type != null && type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33);
    }

    /** Whether every {@code %} of a url-encoded body is followed by two hex digits. */
    static boolean isWellEncoded(Buffer body) {
        for (int i = 0; i < body.length(); i++) {
            if (body.getByte(i) == '%') {
                if (i + 2 >= body.length() || Character.digit(body.getByte(i + 1), 16) < 0
                        || Character.digit(body.getByte(i + 2), 16) < 0) {
                    return false;
                }
                i += 2;
            }
        }
        return true;
    }

    private static boolean isOverLimit(String declared) {
        try {
            return Long.parseLong(declared.trim()) > MAX_BODY_BYTES;
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
