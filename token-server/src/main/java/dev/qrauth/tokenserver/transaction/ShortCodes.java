package dev.qrauth.tokenserver.transaction;

import dev.qrauth.protocol.otp.ShortCode;
import dev.qrauth.tokenserver.security.Secrets;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Draws the short code of a new transaction from the server's CSPRNG ({@code docs/PROTOCOL.md},
 * "The short code"). A bean of its own so that tests can draw a code that is already pending and
 * show that the initiation draws again.
 */
@ApplicationScoped
public class ShortCodes {

    /** A fresh code in its canonical form. */
    public String draw() {
        return ShortCode.generate(Secrets.random());
    }
}
