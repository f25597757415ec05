/**
 * The device SDK: what a phone app calls to take part in QR login.
 *
 * <p>{@link dev.qrauth.sdk.UserClient} is the entry point. A newcomer's path through one login:
 * <pre>{@code
 * UserClient client = UserClient.builder()
 *         .serverUri(URI.create("https://auth.example.com"))
 *         .store(new DirectoryStore(Path.of(System.getProperty("user.home"), ".otp-device")))
 *         .build();
 * UserProfile alice = client.registerUser("alice", activationCode, "24680"); // once
 * client.authenticateUser(alice, "24680");                                  // PIN login
 * client.enrollForMobileAuth();                                             // once
 * if (client.canHandleOtpMobileAuthRequest(scannedText)) {
 *     client.handleOtpMobileAuthRequest(scannedText, delegate);             // see MobileAuthRequestDelegate
 * }
 * }</pre>
 * The compiled version of this walk-through is {@code HandleOneOtpExampleTest} in this module's
 * tests. A user who cannot scan types the short code the browser shows under the QR code
 * instead: {@code client.handleShortCodeMobileAuthRequest(typedText, delegate)}, with the same
 * delegate calls. An app done with a client closes it ({@code UserClient} is
 * {@link AutoCloseable}), which ends the SDK's threads.
 *
 * <p>The delegate must answer {@code didReceiveConfirmationChallenge}; its result methods
 * {@code didHandleMobileAuthRequest} and {@code didFailToHandleMobileAuthRequest} are optional
 * and do nothing by default. Every failure of a request goes to
 * {@code didFailToHandleMobileAuthRequest}, one before there was a request to show (such as
 * {@code USER_NOT_AUTHENTICATED} when nobody is logged in) with a null request. Each
 * {@link dev.qrauth.sdk.SdkErrorCode} has the number Onegini's SDKs use for the same error,
 * {@link dev.qrauth.sdk.SdkErrorCode#code()}, for an app ported from them.
 *
 * <p>It does not show anything to the user: the app draws its own screens and passes the
 * user's decision back through {@link dev.qrauth.sdk.MobileAuthConfirmation}. It keeps its state
 * in a {@link dev.qrauth.sdk.storage.ProfileStore}, encrypted.
 */
package dev.qrauth.sdk;
