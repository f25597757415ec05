package dev.qrauth.tokenserver.admin;

import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The admin API's authentication scheme in the OpenAPI document. */
@SecurityScheme(securitySchemeName = "admin", type = SecuritySchemeType.HTTP, scheme = "basic", description = "The admin user name and password (tokenserver.admin.*)")
public final class AdminApiDocumentation {}
