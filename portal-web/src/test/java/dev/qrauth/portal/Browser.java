package dev.qrauth.portal;

import static io.restassured.RestAssured.given;

import io.restassured.http.Cookie;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One browser in a test: it keeps its session cookie and the last CSRF token it was shown. */
final class Browser {

    static final String SESSION_COOKIE = "portal_session";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    /** Every browser of the running test, so the next test can start without their sessions. */
    private static final List<Browser> OPEN = new CopyOnWriteArrayList<>();

    private final Map<String, String> cookies = new LinkedHashMap<>();

    Browser() {
        OPEN.add(this);
    }

    /**
     * Logs every browser of the last test out, so none of their challenges renews a code (and
     * starts a transaction) while the next test runs.
     */
    static void leaveAll() {
        for (Browser browser : OPEN) {
            if (browser.csrf != null && !browser.cookies.isEmpty()) {
                browser.post("/logout", Map.of("csrf", browser.csrf));
            }
        }
        OPEN.clear();
    }
    private String csrf;

    Response get(String path) {
        return remember(request().get(path));
    }

    Response post(String path, Map<String, String> form) {
        // Browsers encode a UTF-8 page's form as UTF-8 (RestAssured's own default is ISO-8859-1).
        RequestSpecification request = request().contentType("application/x-www-form-urlencoded; charset=UTF-8");
        form.forEach(request::formParam);
        return remember(request.post(path));
    }

    /** Posts a form with this browser's CSRF token, as the page's own form would. */
    Response submit(String path, Map<String, String> fields) {
        if (csrf == null) {
            throw new AssertionError("no page with a form was loaded");
        }
        Map<String, String> form = new HashMap<>(fields);
        form.put("csrf", csrf);
        return post(path, form);
    }

    JsonPath status(String purpose) {
        Response response = get("/challenge/" + purpose + "/status");
        if (response.statusCode() != 200) {
            throw new AssertionError("status of " + purpose + ": HTTP " + response.statusCode());
        }
        return response.jsonPath();
    }

    String state(String purpose) {
        return status(purpose).getString("state");
    }

    String sessionId() {
        return cookies.get(SESSION_COOKIE);
    }

    /** Replaces this browser's session cookie, as a planted or stolen cookie would. */
    void useSessionId(String id) {
        cookies.put(SESSION_COOKIE, id);
    }

    /** This browser's cookies as a {@code Cookie} header, for clients other than RestAssured. */
    String cookieHeader() {
        StringBuilder header = new StringBuilder();
        cookies.forEach((name, value) -> header.append(header.length() == 0 ? "" : "; ").append(name).append('=').append(value));
        return header.toString();
    }

    /** The CSRF token of the last form this browser was shown. */
    String csrf() {
        return csrf;
    }

    private RequestSpecification request() {
        RequestSpecification request = given().redirects().follow(false);
        return cookies.isEmpty() ? request : request.cookies(cookies);
    }

    private Response remember(Response response) {
        for (Cookie cookie : response.getDetailedCookies()) {
            if (cookie.getValue().isEmpty() || cookie.getMaxAge() == 0) {
                cookies.remove(cookie.getName());
            } else {
                cookies.put(cookie.getName(), cookie.getValue());
            }
        }
        if (response.contentType() != null && response.contentType().startsWith("text/html")) {
            Matcher matcher = CSRF.matcher(response.asString());
            if (matcher.find()) {
                csrf = matcher.group(1);
            }
        }
        return response;
    }
}
