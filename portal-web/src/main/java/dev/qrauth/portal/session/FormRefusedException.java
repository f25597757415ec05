package dev.qrauth.portal.session;

import jakarta.ws.rs.ForbiddenException;

/** A form came without this session's CSRF token, or without a session at all. */
public final class FormRefusedException extends ForbiddenException {

    FormRefusedException() {
        super("The form has expired or did not come from this site.");
    }
}
