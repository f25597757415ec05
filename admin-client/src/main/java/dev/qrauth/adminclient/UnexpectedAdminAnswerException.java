package dev.qrauth.adminclient;

/**
 * The token server answered with success, but not the documented answer: another success status
 * or a body that is not the expected JSON. Something that is not a qrauth token server (or a proxy
 * in between) is the usual cause.
 */
public final class UnexpectedAdminAnswerException extends AdminClientException {

    UnexpectedAdminAnswerException(String message, int status, Throwable cause) {
        super(message, status, cause);
    }
}
