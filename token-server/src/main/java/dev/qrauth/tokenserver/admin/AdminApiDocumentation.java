package dev.qrauth.tokenserver.admin;

/**
 * What the OpenAPI document ({@code /q/openapi}) says of the admin API's authentication, written
 * once here. The scheme itself is declared on an admin resource class ({@code @SecurityScheme}
 * on {@link ClientAdminResource}): SmallRye reads it from resource and {@code Application}
 * classes, not from a plain class like this one.
 */
public final class AdminApiDocumentation {

    /** The name of the admin API's security scheme in the OpenAPI document. */
    public static final String SCHEME = "admin";

    /** Its description. */
    public static final String SCHEME_DESCRIPTION = "HTTP Basic with the admin's user name (tokenserver.admin.username) "
            + "and password (configured, or generated at the first start into <data-dir>/admin-password). Failed "
            + "authentications are budgeted per user name and source address: past either, 429 with Retry-After.";

    private AdminApiDocumentation() {
    }
}
