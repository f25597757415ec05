package dev.qrauth.tokenserver.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * A refusal made by a route before the REST layer sees the request, in the error body of the
 * request's API, as {@link ErrorResponses} would make it. The connection is closed after it: the
 * request's body may be unread, and must not be taken for the next request.
 */
final class EarlyRefusal {

    private EarlyRefusal() {
    }

    static void send(RoutingContext context, ObjectMapper json, int status, String message) {
        Object body = ApiFamily.of(context.request().path()).refuse(status, message).getEntity();
        try {
            context.response()
                    .setStatusCode(status)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            context.fail(e);
        }
    }
}
