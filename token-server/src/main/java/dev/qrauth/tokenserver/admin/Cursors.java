package dev.qrauth.tokenserver.admin;

import dev.qrauth.tokenserver.error.AdminApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The admin API's paging cursors: opaque to callers (base64url), so what they hold (the last
 * key of a page) can change without changing the API. Each listing's cursors carry its own
 * prefix, so one listing's cursor is refused by another rather than misread.
 */
final class Cursors {

    static final String AUDIT = "audit:";
    static final String USERS = "users:";

    private Cursors() {
    }

    static String encode(String listing, String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((listing + key).getBytes(StandardCharsets.UTF_8));
    }

    /** The key in {@code cursor}, which must be one of {@code listing}'s. */
    static String decode(String listing, String cursor) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!text.startsWith(listing) || text.length() == listing.length()) {
            throw invalid();
        }
        return text.substring(listing.length());
    }

    static AdminApiException invalid() {
        return AdminApiException.invalid("cursor is not one this listing gave: pass next_cursor unchanged");
    }
}
