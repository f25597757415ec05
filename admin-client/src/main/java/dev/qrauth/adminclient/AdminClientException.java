package dev.qrauth.adminclient;

/**
 * A call to the admin API did not give its answer. The subtype says why: the token server
 * {@linkplain AdminRefusedException refused} (with its status and error body), it
 * {@linkplain AdminUnreachableException could not be reached or did not answer in time}, or it
 * {@linkplain UnexpectedAdminAnswerException answered something this client cannot read}. The
 * message is for the log; it never holds the admin's password.
 */
public abstract sealed class AdminClientException extends RuntimeException
        permits AdminRefusedException, AdminUnreachableException, UnexpectedAdminAnswerException {

    private final int status;

    AdminClientException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status the token server answered with, or 0 when it gave no answer. */
    public int status() {
        return status;
    }
}
