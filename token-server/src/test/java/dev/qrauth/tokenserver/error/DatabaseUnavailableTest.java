package dev.qrauth.tokenserver.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.error.DeviceError;
import dev.qrauth.protocol.error.DeviceErrorCode;
import dev.qrauth.protocol.error.PortalError;
import dev.qrauth.protocol.error.PortalErrorCode;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** A request that fails because the database is away is told to come back, not that it is wrong. */
class DatabaseUnavailableTest {

    private final ErrorResponses responses = new ErrorResponses();

    @Test
    void aLostConnectionIsA503WithRetryAfterInThePortalApisBody() {
        Response response = responses.unexpected(wrapped(new SQLException("Connection refused", "08001")),
                uri("/oauth/api/v4/authenticate/user"));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
        assertThat(((PortalError) response.getEntity()).errorCode()).isEqualTo(PortalErrorCode.SERVICE_UNAVAILABLE.code());
    }

    @Test
    void aDatabaseShuttingDownIsA503InTheDeviceApisBody() {
        Response response = responses.unexpected(wrapped(new SQLException("terminating connection", "57P01")),
                uri("/device/api/v1/users/alice/mobile-auth/otp"));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
        assertThat(((DeviceError) response.getEntity()).error()).isEqualTo(DeviceErrorCode.SERVICE_UNAVAILABLE);
    }

    @Test
    void theHotPathsRefusedOrLostConnectionIsA503() {
        Response refused = responses.unexpected(new java.net.ConnectException("Connection refused"),
                uri("/oauth/api/v4/authenticate/user"));
        Response lost = responses.unexpected(io.vertx.sqlclient.ClosedConnectionException.INSTANCE,
                uri("/device/api/v1/users/alice/mobile-auth/otp"));
        Response shuttingDown = responses.unexpected(new io.vertx.pgclient.PgException("terminating connection",
                "FATAL", "57P01", null), uri("/oauth/api/v4/authenticate/transaction/x"));

        assertThat(refused.getStatus()).isEqualTo(503);
        assertThat(lost.getStatus()).isEqualTo(503);
        assertThat(shuttingDown.getStatus()).isEqualTo(503);
        assertThat(shuttingDown.getHeaderString(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
    }

    @Test
    void dataPostgreSQLRefusesFromTheHotPathIsA400() {
        Response response = responses.unexpected(new io.vertx.pgclient.PgException(
                "invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "22021", null),
                uri("/oauth/api/v4/authenticate/user"));

        assertThat(response.getStatus()).isEqualTo(400);
    }

    @Test
    void otherFailuresStayInternalErrorsWithoutRetryAfter() {
        Response response = responses.unexpected(wrapped(new SQLException("deadlock detected", "40P01")),
                uri("/admin/api/v1/clients"));

        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(response.getHeaderString(HttpHeaders.RETRY_AFTER)).isNull();
        assertThat(ErrorResponses.isDatabaseUnavailable(new IllegalStateException("no cause"))).isFalse();
    }

    /** As the ORM hands it on: the driver's exception a few causes down. */
    private static RuntimeException wrapped(SQLException cause) {
        return new PersistenceException("could not execute statement", new RuntimeException(cause));
    }

    private static UriInfo uri(String path) {
        return (UriInfo) Proxy.newProxyInstance(UriInfo.class.getClassLoader(), new Class<?>[] {UriInfo.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getPath") && (args == null || args.length == 0)) {
                        return path;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
