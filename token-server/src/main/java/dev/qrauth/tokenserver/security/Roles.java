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

    /**
     * An API client on the two calls of a flow it makes, initiation and the result read, by the
     * same credentials as {@link #CLIENT} (portal API). May be given from memory of an earlier
     * check ({@code transaction.KnownCredentials}), so a resource that asks for it must check the
     * identity's grant again against the stored rows before it acts ({@code transaction.HotPath}
     * does so in the statement that does the work).
     */
    public static final String INITIATOR = "initiator";

    /**
     * A user on a registered device with a live access token, by the device's Basic credentials,
     * the token and the user in the path (device API: a flow's fetch and answer). May be given
     * from memory like {@link #INITIATOR}, with the same duty for the resource.
     */
    public static final String DEVICE_USER = "device-user";

    private Roles() {
    }
}
