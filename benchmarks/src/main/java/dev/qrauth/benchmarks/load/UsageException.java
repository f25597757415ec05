package dev.qrauth.benchmarks.load;

/**
 * The load driver's command line asks for something it cannot do: exit code 2, with a message
 * that names the option. An {@link IllegalArgumentException}, as the argument line is the caller's.
 */
final class UsageException extends IllegalArgumentException {

    UsageException(String message) {
        super(message);
    }
}
