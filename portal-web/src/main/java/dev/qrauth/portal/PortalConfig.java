package dev.qrauth.portal;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The portal's settings. The key names are part of the product: demo and deployment scripts
 * set them (see the README).
 */
@ConfigMapping(prefix = "portal")
public interface PortalConfig {

    /** How this portal reaches its token server. */
    TokenServer tokenServer();

    /** The API client id the token server issued to this portal. */
    String clientId();

    /** The API client secret that goes with {@link #clientId()}. */
    String clientSecret();

    /** The callback signing secret issued with the client; callbacks are checked against it. */
    String callbackSigningSecret();

    /**
     * The Basic user name the token server sends with callbacks, when the client was created with
     * callback credentials. Set together with {@link #callbackPassword()}, or neither.
     */
    Optional<String> callbackUsername();

    /** The Basic password that goes with {@link #callbackUsername()}. */
    Optional<String> callbackPassword();

    /**
     * The address browsers and the token server use for this portal, such as
     * {@code https://portal.example}. The callback URI sent to the token server is built from it,
     * and cookies are marked {@code Secure} when it is https.
     */
    URI publicUrl();

    /** The mobile-auth type used for logging in. */
    @WithDefault("login")
    String loginType();

    /** The mobile-auth type used for approving an action. */
    @WithDefault("approval")
    String approvalType();

    /**
     * The mobile-auth type of actions that need several people's approval (four-eyes,
     * {@code docs/PROTOCOL.md} "Four-eyes approval"): a type with {@code required_approvals} of 2 or more.
     */
    @WithDefault("four-eyes")
    String fourEyesType();

    /**
     * The users whose phones approve a four-eyes action, comma-separated, such as
     * {@code alice,bob,carol}; sent as the initiation's {@code approvers}. Unset, the portal offers
     * no four-eyes action.
     */
    Optional<List<String>> fourEyesApprovers();

    /**
     * New QR codes one browser address may ask for per minute (a burst of as many, then evenly
     * spread). It keeps one address from spending the portal's whole initiation budget at the
     * token server. An IPv6 address counts by its /64. Behind a reverse proxy, forward the
     * browser's address from the trusted proxy only (see the README).
     */
    @WithDefault("30")
    int newCodesPerMinute();

    /** The check at start of whether the token server accepts the callback URI this portal sends. */
    CallbackUriCheck callbackUriCheck();

    /** The operator's pages, such as the list of answers given under a duress PIN. */
    Operator operator();

    interface Operator {

        /**
         * The HTTP Basic password of the user {@code operator} on {@code /operator/duress}. A
         * secret: from the environment ({@code PORTAL_OPERATOR_PASSWORD}) or a config file, never
         * {@code -D}. Unset, the operator's pages do not exist.
         */
        Optional<String> password();
    }

    interface CallbackUriCheck {

        /**
         * Whether the portal asks the token server at start, in the background, whether it accepts
         * the callback URI, and logs the answer; off, the first login is the first to tell.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * How long the portal keeps asking a token server that cannot be reached (or answers that
         * it is busy) before it gives up with a warning; it asks again after a growing pause.
         */
        @WithDefault("5m")
        Duration giveUpAfter();
    }

    interface TokenServer {

        /** The token server's base URL, such as {@code http://127.0.0.1:8081}. */
        URI url();

        /** The longest the portal waits for one answer of the token server, connecting included. */
        @WithDefault("5s")
        Duration timeout();
    }
}
