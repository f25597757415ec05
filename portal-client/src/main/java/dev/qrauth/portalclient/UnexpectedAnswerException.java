package dev.qrauth.portalclient;

/**
 * The token server answered with success, but not with something the portal can use: a body that
 * is not the documented JSON, or a result for another transaction or without a status. A server
 * that is not a qrauth (or Onegini v4 compatible) token server, or a proxy in between, is the
 * usual cause.
 */
public final class UnexpectedAnswerException extends TokenServerException {

    UnexpectedAnswerException(String message, int status, Throwable cause) {
        super(message, status, cause);
    }
}
