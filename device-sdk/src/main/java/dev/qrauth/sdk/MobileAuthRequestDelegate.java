package dev.qrauth.sdk;

/**
 * Receives the stages of one {@link UserClient#handleOtpMobileAuthRequest} call.
 *
 * <p>The contract:
 * <ul>
 *   <li>If the request fails before it could be verified (the OTP is not handleable, another
 *       request is in progress, no user is logged in, the user is not enrolled, or the fetch
 *       failed), only {@link #didFailToHandleOtpMobileAuthRequest} is called, once.</li>
 *   <li>Otherwise {@link #didReceiveConfirmationChallenge} is called once, and after the user's
 *       answer was delivered (or could not be) exactly one of
 *       {@link #didHandleMobileAuthRequest} and {@link #didFailToHandleMobileAuthRequest}.
 *       A denial ends in {@code didFailToHandleMobileAuthRequest} with
 *       {@link SdkErrorCode#ACTION_CANCELLED}, never in {@code didHandleMobileAuthRequest}.</li>
 *   <li>Every method is called on a thread of the SDK, never on the thread that called
 *       {@code handleOtpMobileAuthRequest}, and one at a time. An app with a UI thread hands
 *       over to it. An exception thrown by a delegate method is caught; from the challenge it
 *       counts as a denial.</li>
 *   <li>When a terminal method runs, the request is no longer in progress: the app may start the
 *       next one from inside it.</li>
 * </ul>
 */
public interface MobileAuthRequestDelegate {

    /** Show the request and pass the user's answer to {@code confirmation}. */
    void didReceiveConfirmationChallenge(MobileAuthRequest request, MobileAuthConfirmation confirmation);

    /**
     * The user approved and the server accepted it: the browser is being logged in, or, when
     * {@link MobileAuthInfo#requiresReverseCode()}, will be once the user types the code shown
     * into it.
     */
    void didHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator, MobileAuthInfo info);

    /** The request ended without approval: a denial ({@code ACTION_CANCELLED}) or an error. */
    void didFailToHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator, SdkException error);

    /** The request failed before there was a verified request to show. */
    void didFailToHandleOtpMobileAuthRequest(String otp, SdkException error);
}
