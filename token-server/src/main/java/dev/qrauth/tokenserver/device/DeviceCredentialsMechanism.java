package dev.qrauth.tokenserver.device;

import dev.qrauth.protocol.device.DeviceHeaders;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a request to the device API ({@code /device/}) presents the device's credentials: HTTP
 * Basic with the device id and secret. Paths of the other APIs are left to their own mechanisms.
 * The device API answers a refusal with its own error and no challenge ({@code docs/PROTOCOL.md}).
 *
 * <p>The calls of a flow (the fetch by OTP or by short code, and the answer) act for a user on
 * the device, so they present the user's access token too: on their paths the credentials become
 * a {@link DeviceUserCredentialsRequest}, for the role {@link dev.qrauth.tokenserver.security.Roles#DEVICE_USER}
 * and never {@link dev.qrauth.tokenserver.security.Roles#DEVICE}. Everywhere else they are a
 * {@link DeviceCredentialsRequest}.
 */
@ApplicationScoped
class DeviceCredentialsMechanism implements HttpAuthenticationMechanism {

    static final String PATH = "/device/";
    /** The paths of a flow's fetch and answer, with the user id as the path has it. */
    private static final Pattern FLOW = Pattern.compile(
            "/device/api/v1/users/([^/]+)/mobile-auth/(?:otp|short-code|transactions/[^/]+/answer)/?");

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        if (!isDevicePath(context)) {
            return Uni.createFrom().nullItem();
        }
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        Matcher flow = FLOW.matcher(context.normalizedPath());
        if (flow.matches()) {
            return identities.authenticate(new DeviceUserCredentialsRequest(authorization,
                    context.request().getHeader(DeviceHeaders.ACCESS_TOKEN), pathSegment(flow.group(1))));
        }
        return identities.authenticate(new DeviceCredentialsRequest(authorization));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return isDevicePath(context) ? Uni.createFrom().item(new ChallengeData(401, null, null))
                : Uni.createFrom().nullItem();
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(DeviceCredentialsRequest.class, DeviceUserCredentialsRequest.class);
    }

    /** A path segment decoded as the REST layer decodes a path parameter ('+' is no space there). */
    private static String pathSegment(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException brokenEscape) {
            // No user has such an id: the check refuses it like any unknown user.
            return raw;
        }
    }

    private static boolean isDevicePath(RoutingContext context) {
        String path = context.normalizedPath();
        return path != null && path.startsWith(PATH);
    }
}
