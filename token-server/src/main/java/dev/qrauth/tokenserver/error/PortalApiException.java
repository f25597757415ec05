package dev.qrauth.tokenserver.error;

import dev.qrauth.protocol.error.PortalErrorCode;
import java.util.Objects;

/** A refusal on the portal API, answered with the Onegini-style body and the code's status. */
public final class PortalApiException extends RuntimeException {

    private final PortalErrorCode code;

    public PortalApiException(PortalErrorCode code, String message) {
        super(message == null ? code.defaultMessage() : message, null, false, false);
        this.code = Objects.requireNonNull(code, "code == null");
    }

    public PortalErrorCode code() {
        return code;
    }
}
