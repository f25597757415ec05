package dev.qrauth.sdk;

/**
 * Receives the stages of one {@link UserClient#handleOtpMobileAuthRequest} (or
 * {@link UserClient#handleShortCodeMobileAuthRequest}) call.
 *
 * <p>Only {@link #didReceiveConfirmationChallenge} must be implemented. Both result methods are
 * optional: their default bodies do nothing, so an app that has nothing to show after the user's
 * answer implements the challenge alone. Implement {@link #didFailToHandleMobileAuthRequest}
 * all the same when you can: it reports errors such as {@link SdkErrorCode#DEVICE_DEREGISTERED}
 * and {@link SdkErrorCode#USER_DEREGISTERED}, after which the app should send the user back to
 * registration or login.
 *
 * <p>The contract:
 * <ul>
 *   <li>Every failure goes to {@link #didFailToHandleMobileAuthRequest}, also a failure before
 *       the SDK had a verified request to show: the OTP is not handleable, another request is in
 *       progress, no user is logged in ({@link SdkErrorCode#USER_NOT_AUTHENTICATED}), the user is
 *       not enrolled, or the fetch or its verification failed. Such a failure is the only call,
 *       and it comes with {@code request} and {@code authenticator} null.</li>
 *   <li>Otherwise {@link #didReceiveConfirmationChallenge} is called once, and after the user's
 *       answer was delivered (or could not be) exactly one of
 *       {@link #didHandleMobileAuthRequest} and {@link #didFailToHandleMobileAuthRequest}, with
 *       the request shown. A denial ends in {@code didFailToHandleMobileAuthRequest} with
 *       {@link SdkErrorCode#ACTION_CANCELLED}, never in {@code didHandleMobileAuthRequest}.</li>
 *   <li>Every method is called on a thread of the SDK, never on the thread that called
 *       {@code handleOtpMobileAuthRequest}, and one at a time. An app with a UI thread hands
 *       over to it. An exception thrown by a delegate method is caught; from the challenge it
 *       counts as a denial.</li>
 *   <li>When a terminal method runs, the request is no longer in progress: the app may start the
 *       next one from inside it. The SDK has already removed the local data the error says is
 *       gone (see {@link UserClient}), whether or not the app implements the method.</li>
 * </ul>
 */
public interface MobileAuthRequestDelegate {

    /** Show the request and pass the user's answer to {@code confirmation}. */
    void didReceiveConfirmationChallenge(MobileAuthRequest request, MobileAuthConfirmation confirmation);

    /**
     * The user approved and the server accepted it: the browser is being logged in, or, when
     * {@link MobileAuthInfo#requiresReverseCode()}, will be once the user types the code shown
     * into it.
     *
     * <p>Optional. The default does nothing. Implement it when the approval needs the app: to
     * close the confirmation screen, or to show {@link MobileAuthInfo#reverseCodeForDisplay()},
     * without which a reverse-code login never completes.
     */
    default void didHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator,
                                            MobileAuthInfo info) {
    }

    /**
     * The request ended without approval: a denial ({@code ACTION_CANCELLED}) or an error.
     *
     * <p>{@code request} is the request shown in the challenge, and {@code authenticator} the
     * one used; both are null when the failure came before there was a verified request to show
     * (see the contract above), as for {@code USER_NOT_AUTHENTICATED} when nobody is logged in.
     *
     * <p>Optional. The default does nothing: the error is dropped, after the SDK's own clean-up
     * of local data. Implement it to tell the user, or to log them out or send them back to
     * registration on {@code USER_DEREGISTERED} or {@code DEVICE_DEREGISTERED}.
     */
    default void didFailToHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator,
                                                  SdkException error) {
    }
}
