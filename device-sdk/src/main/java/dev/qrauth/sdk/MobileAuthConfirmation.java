package dev.qrauth.sdk;

/**
 * The user's answer to a {@link MobileAuthRequest}. Call exactly one method, once, from any
 * thread; later calls are ignored. An answer not given before the request expires counts as
 * no answer and ends the request with {@link SdkErrorCode#NOT_FOUND}.
 */
public interface MobileAuthConfirmation {

    /**
     * Approve a request without number matching.
     *
     * @throws IllegalStateException when the request needs a number: ask the user for it
     */
    void confirm();

    /**
     * Approve a number-matching request with the number the user picked.
     *
     * @throws IllegalArgumentException when the number is not one of the request's choices:
     *                                  ask again; nothing was sent
     */
    void confirm(int chosenNumber);

    /** Deny the request. */
    void deny();

    /** Deny the request and report it as fraud: "this wasn't me". */
    void denyAsFraud();
}
