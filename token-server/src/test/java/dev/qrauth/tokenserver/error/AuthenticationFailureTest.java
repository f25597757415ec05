package dev.qrauth.tokenserver.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.error.AdminError;
import dev.qrauth.protocol.error.DeviceError;
import dev.qrauth.protocol.error.DeviceErrorCode;
import dev.qrauth.protocol.error.InvalidClientError;
import dev.qrauth.tokenserver.security.CredentialsRefused;
import io.quarkus.security.AuthenticationFailedException;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * A failure of an authentication mechanism is answered by the API's own refusal it carries, and
 * a check that failed for another reason like that failure anywhere else, never as a bare 401.
 */
class AuthenticationFailureTest {

    private final ErrorResponses responses = new ErrorResponses();

    @Test
    void aSpentAdminBudgetIsA429WithRetryAfterInTheAdminBody() {
        Response response = responses.credentialsRefused(CredentialsRefused.by(new AdminApiException(
                AdminApiException.Code.RATE_LIMITED, "Too many failed authentications; try again later", 7)),
                uri("/admin/api/v1/users"));

        assertThat(response.getStatus()).isEqualTo(429);
        assertThat(response.getHeaderString(HttpHeaders.RETRY_AFTER)).isEqualTo("7");
        assertThat(response.getEntity()).isEqualTo(new AdminError("rate_limited",
                "Too many failed authentications; try again later"));
    }

    @Test
    void refusedAdminCredentialsCarryTheChallenge() {
        Response response = responses.credentialsRefused(CredentialsRefused.by(new AdminApiException(
                AdminApiException.Code.UNAUTHORIZED, "Admin credentials required")), uri("/admin/api/v1/users"));

        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Basic realm=\"qrauth admin API\"");
    }

    @Test
    void theDatabaseGoneDuringACheckIsA503InTheApisBody() {
        Response response = responses.credentialsRefused(new AuthenticationFailedException(new PersistenceException(
                new SQLException("Connection refused", "08001"))), uri("/device/api/v1/devices/self"));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
        assertThat(((DeviceError) response.getEntity()).error()).isEqualTo(DeviceErrorCode.SERVICE_UNAVAILABLE);
    }

    @Test
    void aFailureWithoutARefusalIsTheApisOwn401() {
        Response response = responses.credentialsRefused(new AuthenticationFailedException(),
                uri("/oauth/api/v4/authenticate/transaction/x"));

        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(((InvalidClientError) response.getEntity()).error()).isEqualTo(InvalidClientError.INVALID_CLIENT);
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
