package dev.qrauth.tokenserver.error;

import dev.qrauth.protocol.error.AdminError;
import dev.qrauth.protocol.error.DeviceError;
import dev.qrauth.protocol.error.DeviceErrorCode;
import dev.qrauth.protocol.error.InvalidClientError;
import dev.qrauth.protocol.error.PortalError;
import dev.qrauth.protocol.error.PortalErrorCode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The three APIs answer errors in their own body shapes; a generic failure (bad JSON, unknown
 * path, body too large) is told in the shape of the API its path belongs to.
 */
enum ApiFamily {
    PORTAL, DEVICE, ADMIN;

    static ApiFamily of(String path) {
        String normalized = path == null ? "" : path.startsWith("/") ? path : "/" + path;
        if (normalized.startsWith("/oauth/")) {
            return PORTAL;
        }
        if (normalized.startsWith("/device/")) {
            return DEVICE;
        }
        return ADMIN;
    }

    /** A generic refusal: {@code status} with the family's code for it. */
    Response refuse(int status, String message) {
        if (this == PORTAL && status == 401) {
            return Response.status(401).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(InvalidClientError.invalidClient(message)).build();
        }
        Object body = switch (this) {
            case PORTAL -> PortalError.of(portalCode(status), message);
            case DEVICE -> DeviceError.of(deviceCode(status), message);
            case ADMIN -> new AdminError(adminCode(status), message);
        };
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    private static PortalErrorCode portalCode(int status) {
        return switch (status) {
            case 404 -> PortalErrorCode.NOT_FOUND;
            case 413 -> PortalErrorCode.REQUEST_TOO_LARGE;
            case 429 -> PortalErrorCode.RATE_LIMITED;
            case 503 -> PortalErrorCode.SERVICE_UNAVAILABLE;
            default -> PortalErrorCode.INVALID_PARAMETER;
        };
    }

    private static DeviceErrorCode deviceCode(int status) {
        return switch (status) {
            case 413 -> DeviceErrorCode.REQUEST_TOO_LARGE;
            case 429 -> DeviceErrorCode.RATE_LIMITED;
            case 404 -> DeviceErrorCode.NOT_FOUND;
            case 503 -> DeviceErrorCode.SERVICE_UNAVAILABLE;
            default -> DeviceErrorCode.INVALID_REQUEST;
        };
    }

    private static String adminCode(int status) {
        return switch (status) {
            case 401 -> "unauthorized";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 409 -> "conflict";
            case 413 -> "request_too_large";
            case 415 -> "unsupported_media_type";
            case 429 -> "rate_limited";
            case 503 -> "service_unavailable";
            default -> status >= 500 ? "internal_error" : "invalid_request";
        };
    }
}
