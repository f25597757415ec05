package dev.qrauth.tokenserver.client;

import dev.qrauth.tokenserver.error.BodySizeLimit;
import dev.qrauth.tokenserver.error.MalformedRequestException;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder.ErrorDataDecoderException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a request to the portal API ({@code /oauth/}) presents the API client's credentials, as
 * Onegini's portals send them: HTTP Basic, or {@code client_id} and {@code client_secret} in a
 * url-encoded form (RFC 6749, section 2.3.1). Paths of the other APIs are left to their own
 * mechanisms.
 *
 * <p>On the two calls of a flow that a portal makes, initiation ({@code POST .../authenticate/user})
 * and the result read ({@code GET .../authenticate/transaction/{id}}), the same credentials become
 * an {@link InitiatorCredentialsRequest}, for the role
 * {@link dev.qrauth.tokenserver.security.Roles#INITIATOR} and never
 * {@link dev.qrauth.tokenserver.security.Roles#CLIENT}; everywhere else a
 * {@link ClientCredentialsRequest}.
 */
@ApplicationScoped
class ClientCredentialsMechanism implements HttpAuthenticationMechanism {

    static final String PATH = "/oauth/";
    static final String CHALLENGE = "Basic realm=\"qrauth portal API\"";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final Map<String, List<String>> NO_FORM = Map.of();
    private static final String INITIATION = "/oauth/api/v4/authenticate/user";
    private static final String RESULT = "/oauth/api/v4/authenticate/transaction/";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        if (!isPortalPath(context)) {
            return Uni.createFrom().nullItem();
        }
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (isResultRead(context)) {
            return identities.authenticate(new InitiatorCredentialsRequest(authorization, null, null));
        }
        boolean initiation = isInitiation(context);
        return form(context).onItem().transformToUni(form -> identities.authenticate(initiation
                ? new InitiatorCredentialsRequest(authorization, first(form, "client_id"), first(form, "client_secret"))
                : new ClientCredentialsRequest(authorization, first(form, "client_id"), first(form, "client_secret"))));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return isPortalPath(context) ? Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", CHALLENGE))
                : Uni.createFrom().nullItem();
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ClientCredentialsRequest.class, InitiatorCredentialsRequest.class);
    }

    /**
     * The url-encoded form a POST carries (the only calls that take credentials in a form are
     * POSTs), decoded as the REST layer decodes it; empty for any other request.
     */
    private static Uni<Map<String, List<String>>> form(RoutingContext context) {
        HttpServerRequest request = context.request();
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (request.method() != HttpMethod.POST || type == null
                || !type.regionMatches(true, 0, FORM, 0, FORM.length())) {
            return Uni.createFrom().item(NO_FORM);
        }
        RequestBody kept = context.body();
        if (kept != null && kept.buffer() != null || request.isEnded()) {
            return Uni.createFrom().item(decode(kept == null ? null : kept.buffer()));
        }
        // Only an HTTP/2 form is still unread here (BodySizeLimit reads the others): read it within
        // the same limit and keep it, so that the REST layer reads these bytes and not the stream.
        // Vert.x also decodes the form's fields as they come (expect multipart): an endpoint that
        // takes form parameters finds them there, as the stream can be read only once.
        request.setExpectMultipart(true);
        return Uni.createFrom().emitter(emitter -> {
            Buffer body = Buffer.buffer();
            boolean[] overLimit = {false};
            request.handler(chunk -> {
                if (body.length() + chunk.length() > BodySizeLimit.MAX_BODY_BYTES) {
                    overLimit[0] = true;
                } else if (!overLimit[0]) {
                    body.appendBuffer(chunk);
                }
            });
            request.endHandler(end -> {
                if (overLimit[0]) {
                    emitter.complete(NO_FORM);
                    return;
                }
                context.setBody(body);
                try {
                    emitter.complete(decode(body));
                } catch (IllegalArgumentException brokenEncoding) {
                    // An HTTP/2 form, which BodySizeLimit leaves to the reader: refused with 400.
                    emitter.fail(new MalformedRequestException("The form's percent-encoding is broken", brokenEncoding));
                }
            });
            request.exceptionHandler(failure -> emitter.fail(failure instanceof ErrorDataDecoderException
                    // Vert.x's decoding of the fields met the broken encoding first.
                    ? new MalformedRequestException("The form's percent-encoding is broken", failure) : failure));
            request.resume();
        });
    }

    private static Map<String, List<String>> decode(Buffer form) {
        if (form == null || form.length() == 0) {
            return NO_FORM;
        }
        return new QueryStringDecoder(form.toString(StandardCharsets.UTF_8), StandardCharsets.UTF_8, false)
                .parameters();
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static boolean isInitiation(RoutingContext context) {
        return context.request().method() == HttpMethod.POST && INITIATION.equals(withoutTrailingSlash(context));
    }

    /** {@code GET .../authenticate/transaction/{id}}: one segment after the prefix. */
    private static boolean isResultRead(RoutingContext context) {
        HttpMethod method = context.request().method();
        String path = withoutTrailingSlash(context);
        return (method == HttpMethod.GET || method == HttpMethod.HEAD) && path.startsWith(RESULT)
                && path.length() > RESULT.length() && path.indexOf('/', RESULT.length()) < 0;
    }

    /** The path without a trailing slash, so that one cannot move a call to the other role. */
    private static String withoutTrailingSlash(RoutingContext context) {
        String path = context.normalizedPath();
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static boolean isPortalPath(RoutingContext context) {
        String path = context.normalizedPath();
        return path != null && path.startsWith(PATH);
    }
}
