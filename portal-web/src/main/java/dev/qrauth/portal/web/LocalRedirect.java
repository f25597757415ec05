package dev.qrauth.portal.web;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * A {@code 303 See Other} to one of the portal's own pages. The {@code Location} is the path
 * alone: {@code Response.seeOther} would make it absolute from the request's {@code Host}
 * header, which the client chooses, and so send a browser (or a cache in between) to any host.
 */
public final class LocalRedirect {

    private LocalRedirect() {
    }

    /** A 303 to {@code path}, which must be an absolute path of this portal, such as {@code /login}. */
    public static Response to(String path) {
        if (!path.startsWith("/") || path.startsWith("//")) {
            throw new IllegalArgumentException("not a path of this portal: " + path);
        }
        return Response.status(Response.Status.SEE_OTHER).header(HttpHeaders.LOCATION, path).build();
    }
}
