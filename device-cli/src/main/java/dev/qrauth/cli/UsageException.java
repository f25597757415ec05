package dev.qrauth.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The command line asks for something impossible: exit code 2. */
final class UsageException extends RuntimeException {

    private final Map<String, Object> details;

    UsageException(String message) {
        this(message, Map.of());
    }

    /** With {@code details} that {@code --json} prints beside the message, such as the choices to pick from. */
    UsageException(String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    Map<String, Object> details() {
        return details;
    }
}
