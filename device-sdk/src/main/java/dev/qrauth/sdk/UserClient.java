package dev.qrauth.sdk;

import dev.qrauth.protocol.otp.OtpCodec;
import java.net.URI;
import java.util.Objects;

/**
 * The app's entry point into the SDK, one per token server.
 *
 * <p>Create it with {@link #builder()}. Thread-safe.
 */
public final class UserClient {

    private final URI serverUri;

    private UserClient(Builder builder) {
        this.serverUri = builder.serverUri;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The token server this client talks to. */
    public URI serverUri() {
        return serverUri;
    }

    /**
     * Whether {@code otp} is an OTP this SDK can handle: a pure, strict check of its format
     * ({@code docs/PROTOCOL.md}, "The OTP") that makes no network call and never throws.
     */
    public boolean canHandleOtpMobileAuthRequest(String otp) {
        return OtpCodec.decode(otp).isAccepted();
    }

    /** Builds a {@link UserClient}; every argument is checked when it is given. */
    public static final class Builder {
        private URI serverUri;

        private Builder() {
        }

        /** The token server's base URI, such as {@code https://auth.example.com}; http or https. */
        public Builder serverUri(URI serverUri) {
            Objects.requireNonNull(serverUri, "serverUri == null");
            String scheme = serverUri.getScheme();
            if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
                throw new IllegalArgumentException("serverUri must be http or https: " + serverUri);
            }
            if (serverUri.getHost() == null) {
                throw new IllegalArgumentException("serverUri has no host: " + serverUri);
            }
            this.serverUri = serverUri;
            return this;
        }

        public UserClient build() {
            if (serverUri == null) {
                throw new IllegalStateException("serverUri is required");
            }
            return new UserClient(this);
        }
    }
}
