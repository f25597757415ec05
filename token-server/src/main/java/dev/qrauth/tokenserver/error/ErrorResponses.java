package dev.qrauth.tokenserver.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.qrauth.protocol.error.AdminError;
import dev.qrauth.protocol.error.InvalidClientError;
import dev.qrauth.protocol.error.PortalError;
import io.quarkus.security.AuthenticationFailedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where exceptions become responses. Every error is a 4xx or 5xx with the stable
 * body of its API; no class name, stack trace or echo of the input ever reaches the client.
 */
public class ErrorResponses {

    private static final Logger LOG = Logger.getLogger(ErrorResponses.class);
    private static final int DATABASE_RETRY_AFTER_SECONDS = 5;

    @ServerExceptionMapper
    public Response deviceError(DeviceApiException e) {
        return json(e.body().error().httpStatus(), e.body(), e.retryAfterSeconds());
    }

    @ServerExceptionMapper
    public Response portalError(PortalApiException e) {
        return json(e.code().httpStatus(), PortalError.of(e.code(), e.getMessage()), e.retryAfterSeconds());
    }

    @ServerExceptionMapper
    public Response invalidClient(InvalidClientException e) {
        return Response.status(401)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"qrauth portal API\"")
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(InvalidClientError.invalidClient(e.getMessage()))
                .build();
    }

    @ServerExceptionMapper
    public Response twoClientAuthentications(ClientAuthenticationConflictException e) {
        return Response.status(400)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new InvalidClientError(InvalidClientError.INVALID_REQUEST, e.getMessage()))
                .build();
    }

    @ServerExceptionMapper
    public Response adminError(AdminApiException e) {
        Response.ResponseBuilder response = Response.status(e.code().status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new AdminError(e.code().wireName, e.getMessage()));
        if (e.code() == AdminApiException.Code.UNAUTHORIZED) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"qrauth admin API\"");
        }
        if (e.retryAfterSeconds() > 0) {
            response.header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds());
        }
        return response.build();
    }

    /**
     * Credentials refused by an authentication mechanism: the API's own refusal, as if the
     * resource had thrown it. Any other failure of a check (the database gone while reading a
     * secret's hash) is answered like the same failure anywhere else. Ahead of Quarkus' own mapper,
     * which would answer a bare {@code 401}.
     */
    @ServerExceptionMapper
    public Response credentialsRefused(AuthenticationFailedException e, UriInfo uri) {
        return e.getCause() != null ? refusal(e.getCause(), uri)
                : ApiFamily.of(uri.getPath()).refuse(401, messageFor(401));
    }

    /** The API's refusal that an authentication failure carries ({@code security.CredentialsRefused}). */
    private Response refusal(Throwable refusal, UriInfo uri) {
        if (refusal instanceof AdminApiException admin) {
            return adminError(admin);
        }
        if (refusal instanceof DeviceApiException device) {
            return deviceError(device);
        }
        if (refusal instanceof PortalApiException portal) {
            return portalError(portal);
        }
        if (refusal instanceof InvalidClientException invalid) {
            return invalidClient(invalid);
        }
        if (refusal instanceof ClientAuthenticationConflictException conflict) {
            return twoClientAuthentications(conflict);
        }
        return unexpected(refusal, uri);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, UriInfo uri) {
        return ApiFamily.of(uri.getPath()).refuse(400, "The request body is not valid JSON of the expected shape");
    }

    /** Wrong types and unknown members; more specific than Quarkus's own mapper, which sends no body. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return malformedJson(e, uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        return ApiFamily.of(uri.getPath()).refuse(status, messageFor(status));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        if (isClientData(e)) {
            return ApiFamily.of(uri.getPath()).refuse(400, "Invalid request");
        }
        if (isDatabaseUnavailable(e)) {
            // Nothing is wrong with the request: the caller may send it again, and readiness is down.
            LOG.warnf("The database is unavailable (%s); answering 503 on %s", e.getClass().getSimpleName(), uri.getPath());
            return Response.fromResponse(ApiFamily.of(uri.getPath())
                            .refuse(503, "The service is temporarily unavailable: try again shortly"))
                    .header(HttpHeaders.RETRY_AFTER, DATABASE_RETRY_AFTER_SECONDS).build();
        }
        LOG.errorf(e, "Unexpected failure on %s", uri.getPath());
        return ApiFamily.of(uri.getPath()).refuse(500, "Internal error");
    }

    /**
     * Input no check caught but that cannot be valid: a request that could not be parsed, or a
     * value PostgreSQL refuses as data (SQLSTATE class 22, such as a NUL character in text).
     */
    private static boolean isClientData(Throwable e) {
        if (e instanceof MalformedRequestException) {
            return true;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String state = sqlState(cause);
            if (state != null && state.startsWith("22")) {
                return true;
            }
        }
        return false;
    }

    /** The SQLSTATE of a JDBC or a reactive client's exception; null for any other. */
    private static String sqlState(Throwable e) {
        if (e instanceof java.sql.SQLException sql) {
            return sql.getSQLState();
        }
        return e instanceof io.vertx.pgclient.PgException pg ? pg.getSqlState() : null;
    }

    /**
     * The database cannot be reached: a connection that cannot be made or was lost (SQLSTATE
     * class 08, or the reactive client's refused or closed connection), or a server shutting down
     * or starting up (57P01 to 57P03).
     */
    static boolean isDatabaseUnavailable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.ConnectException || cause instanceof io.vertx.sqlclient.ClosedConnectionException) {
                return true;
            }
            String state = sqlState(cause);
            if (state != null && (state.startsWith("08") || state.matches("57P0[123]"))) {
                return true;
            }
        }
        return false;
    }

    private static String messageFor(int status) {
        return switch (status) {
            case 401 -> "Authentication required";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 406 -> "Not acceptable";
            case 413 -> "Request too large";
            case 415 -> "Unsupported media type";
            default -> "Invalid request";
        };
    }

    private static Response json(int status, Object body, long retryAfterSeconds) {
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body);
        if (retryAfterSeconds > 0) {
            response.header(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
        }
        return response.build();
    }
}
