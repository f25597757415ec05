package dev.qrauth.testkit.demo;

/** The demo cannot go on: the message says why, for the person who ran it. */
final class DemoException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    DemoException(String message) {
        super(message);
    }
}
