package dev.qrauth.tokenserver.security;

/**
 * The roles an authenticated caller holds, one per API ({@code docs/PROTOCOL.md}): what
 * {@code @RolesAllowed} names on the resources. Each role is given by its API's own
 * authentication mechanism only, so a credential of one API never opens another.
 */
public final class Roles {

    /** The admin, by the admin's Basic credentials (admin API, operator endpoints). */
    public static final String ADMIN = "admin";

    /** A registered device, by its Basic credentials (device API). */
    public static final String DEVICE = "device";

    /** An enabled API client, by its Basic or form credentials (portal API). */
    public static final String CLIENT = "client";

    private Roles() {
    }
}
