package dev.qrauth.benchmarks.load;

/**
 * A flow went wrong in a way the report counts by kind: the message is the kind (an HTTP status,
 * an SDK error code, a timeout), so it names no transaction and carries no stack trace.
 */
final class FlowException extends RuntimeException {

    FlowException(String kind) {
        super(kind, null, false, false);
    }
}
