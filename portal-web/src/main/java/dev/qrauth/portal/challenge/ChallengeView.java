package dev.qrauth.portal.challenge;

/**
 * A challenge as its browser sees it: the initial page, each server-sent event and each poll
 * carry one. Codes, QR address and countdown are present only while the challenge is open.
 *
 * @param state        {@link ChallengeState#wireName()}
 * @param open         whether the phone can still answer
 * @param status       one sentence for the person at the browser, read out by screen readers
 * @param otp          the one-time code as text, for "Can't scan?"
 * @param qrUrl        this browser's QR image; it changes when the code is renewed
 * @param bindingCode  for number-matching types, the number to pick on the phone
 * @param secondsLeft  until the code expires, counted on the server
 * @param message      what the phone is asked
 * @param codeEntry    whether the browser must now type the code the phone shows
 * @param codeAttemptsLeft while it must, how many wrong codes the token server still takes
 * @param shortCode    the short code to type into the app instead of scanning, in groups, for
 *                     "Can't scan?"; null when the token server sends none
 */
public record ChallengeView(
        String purpose,
        String state,
        boolean open,
        String status,
        String otp,
        String qrUrl,
        Integer bindingCode,
        Long secondsLeft,
        String message,
        boolean codeEntry,
        Integer codeAttemptsLeft,
        String shortCode) {
}
