package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.http.BasicCredentials;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.testkit.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 10,000 generated malformed requests across every endpoint of both servers: bad JSON, wrong
 * types, huge values, bad base64 and OpenPGP, wrong or broken credentials, path tricks, wrong
 * methods and media types. None may get a 5xx, and every error must come with a well-formed body.
 * The generator is seeded, so a failure names the seed that reproduces it.
 */
@Tag("faults")
class HostileInputFaultTest {

    static final int REQUESTS = 10_000;
    static final long SEED = Long.getLong("qrauth.hostile.seed", 20261128L);

    /** One endpoint: which server, method, path template, and which credentials it takes. */
    record Endpoint(boolean portal, String method, String path, String auth, String body) {
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint(false, "POST", "/oauth/api/v4/authenticate/user", "client", "form"),
            new Endpoint(false, "GET", "/oauth/api/v4/authenticate/transaction/{t}", "client", null),
            new Endpoint(false, "DELETE", "/oauth/api/v4/authenticate/transaction/{t}", "client", null),
            new Endpoint(false, "POST", "/oauth/api/v4/users/{u}/devices/{d}/disableMobileAuthentication", "client", null),
            new Endpoint(false, "POST", "/device/api/v1/devices", null, "device-registration"),
            new Endpoint(false, "DELETE", "/device/api/v1/devices/self", "device", null),
            new Endpoint(false, "POST", "/device/api/v1/users", "device", "user-registration"),
            new Endpoint(false, "DELETE", "/device/api/v1/users/{u}", "user", null),
            new Endpoint(false, "POST", "/device/api/v1/users/{u}/session", "device", "pin"),
            new Endpoint(false, "DELETE", "/device/api/v1/users/{u}/session", "user", null),
            new Endpoint(false, "POST", "/device/api/v1/users/{u}/mobile-auth/enrollment", "user", "enrollment"),
            new Endpoint(false, "DELETE", "/device/api/v1/users/{u}/mobile-auth/enrollment", "user", null),
            new Endpoint(false, "POST", "/device/api/v1/users/{u}/mobile-auth/otp", "user", "otp"),
            new Endpoint(false, "POST", "/device/api/v1/users/{u}/mobile-auth/short-code", "user", "short-code"),
            new Endpoint(false, "POST", "/device/api/v1/users/{u}/mobile-auth/transactions/{t}/answer", "user", "answer"),
            new Endpoint(false, "POST", "/admin/api/v1/clients", "admin", "client"),
            new Endpoint(false, "GET", "/admin/api/v1/clients/{c}", "admin", null),
            new Endpoint(false, "DELETE", "/admin/api/v1/clients/{c}", "admin", null),
            new Endpoint(false, "POST", "/admin/api/v1/mobile-auth-types", "admin", "type"),
            new Endpoint(false, "GET", "/admin/api/v1/mobile-auth-types", "admin", null),
            new Endpoint(false, "DELETE", "/admin/api/v1/mobile-auth-types/{n}", "admin", null),
            new Endpoint(false, "POST", "/admin/api/v1/users", "admin", "user"),
            new Endpoint(false, "POST", "/admin/api/v1/users/{u}/activation-codes", "admin", null),
            new Endpoint(false, "GET", "/admin/api/v1/users/{u}", "admin", null),
            new Endpoint(false, "DELETE", "/admin/api/v1/devices/{d}", "admin", null),
            new Endpoint(false, "DELETE", "/admin/api/v1/users/{u}/devices/{d}", "admin", null),
            new Endpoint(false, "GET", "/admin/api/v1/audit", "admin", null),
            new Endpoint(true, "GET", "/", null, null),
            new Endpoint(true, "GET", "/login", null, null),
            new Endpoint(true, "POST", "/login/complete", null, "portal-form"),
            new Endpoint(true, "GET", "/account", null, null),
            new Endpoint(true, "POST", "/logout", null, "portal-form"),
            new Endpoint(true, "GET", "/approve", null, null),
            new Endpoint(true, "POST", "/approve", null, "portal-form"),
            new Endpoint(true, "GET", "/challenge/{p}/qr.png", null, null),
            new Endpoint(true, "GET", "/challenge/{p}/status", null, null),
            new Endpoint(true, "GET", "/challenge/{p}/events", null, null),
            new Endpoint(true, "POST", "/callbacks/mobile-auth", "callback", "callback"));

    static final String TARGET_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?";
    static final String[] PATH_TRICKS = {"..", "%2e%2e", "..%2f..%2fadmin", "%00", "%ZZ", "%C0%AE", "a;b=c", "%2F%2F",
            "\u00e9t\u00e9", "%F0%9F%92%A3", "' OR 1=1 --", "<script>", "x".repeat(3000), "-1", "9".repeat(40),
            "00000000-0000-0000-0000-000000000000", "%20", "~", "*", "{t}"};
    static final String[] METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE", "PROPFIND"};
    static final String[] CONTENT_TYPES = {"application/json", "application/x-www-form-urlencoded", "text/plain",
            "application/xml", "multipart/form-data; boundary=x", ";;;", "application/json; charset=utf-7", ""};

    @Test
    void noMalformedRequestGetsA5xxAndEveryErrorHasAWellFormedBody() throws Exception {
        try (LoginSystem system = LoginSystem.start()) {
            Credentials credentials = Credentials.create(system.tokenServer);
            ExecutorService threads = Executors.newFixedThreadPool(8);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            Map<String, AtomicInteger> byStatus = new ConcurrentHashMap<>();
            List<Future<?>> work = new ArrayList<>();
            long started = System.nanoTime();
            for (int worker = 0; worker < 8; worker++) {
                long workerSeed = SEED + worker;
                work.add(threads.submit(() -> {
                    Random random = new Random(workerSeed);
                    for (int i = 0; i < REQUESTS / 8; i++) {
                        Endpoint endpoint = ENDPOINTS.get(random.nextInt(ENDPOINTS.size()));
                        Generated request = generate(random, endpoint, credentials);
                        int port = endpoint.portal() ? system.portal.uri.getPort() : system.tokenServer.uri.getPort();
                        RawHttp.Response response;
                        try {
                            response = RawHttp.send(port, request.bytes(), Duration.ofSeconds(15));
                        } catch (IOException e) {
                            failures.add("no answer (" + e + ") to " + request.summary());
                            continue;
                        }
                        byStatus.computeIfAbsent((endpoint.portal() ? "portal " : "token-server ") + response.status(),
                                status -> new AtomicInteger()).incrementAndGet();
                        String problem = problem(endpoint, request, response);
                        if (problem != null) {
                            failures.add(problem + " <- " + request.summary() + " -> " + response.status() + " "
                                    + describe(response));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> done : work) {
                done.get();
            }
            threads.shutdown();
            long millis = (System.nanoTime() - started) / 1_000_000;

            assertThat(failures).as("seed %d; the portal's log says: %s%nthe token server's log says: %s", SEED,
                    system.portal.logLines("ERROR") + "\n" + system.portal.logLines("WARN  [dev.qrauth.portal.web"),
                    system.tokenServer.firstError()).isEmpty();
            Figures.record("hostile-input", "requests=" + REQUESTS + " seed=" + SEED + " seconds=" + millis / 1000
                    + " statuses=" + new TreeMap<>(byStatus));
        }
    }

    /** What is wrong with the answer, or null. */
    private static String problem(Endpoint endpoint, Generated request, RawHttp.Response response) {
        if (response.status() == 0) {
            return "the connection closed without an answer";
        }
        if (response.status() >= 500) {
            return "5xx";
        }
        if (response.status() < 400 || request.method().equals("HEAD")) {
            return null;
        }
        if (!request.isValidHttp()) {
            // Refused by the HTTP parser before any application code: a bare 4xx is the answer.
            return null;
        }
        String type = response.header("content-type") == null ? "" : response.header("content-type");
        if (endpoint.portal()) {
            if (type.startsWith("text/html")) {
                return response.text().contains("</html>") ? null : "an HTML error page that is not a whole page";
            }
            return isErrorJson(response) ? null : "an error without an HTML page or a JSON error body";
        }
        if (!type.startsWith("application/json")) {
            return "an error that is not JSON (" + type + ")";
        }
        return isErrorJson(response) ? null : "a JSON error body without a code and a message";
    }

    private static boolean isErrorJson(RawHttp.Response response) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = ProtocolJson.read(response.body(), Map.class);
            Object code = body.containsKey("error_code") ? body.get("error_code") : body.get("error");
            Object message = body.containsKey("error_message") ? body.get("error_message") : body.get("error_description");
            return code != null && !code.toString().isBlank() && message instanceof String text && !text.isBlank();
        } catch (RuntimeException e) {
            return false;
        }
    }

    record Generated(String method, String target, Map<String, String> headers, byte[] body, String kind) {
        byte[] bytes() {
            return RawHttp.request(method, target, headers, body);
        }

        /**
         * Whether this is a valid HTTP/1.1 request at all: a request target of URI characters with
         * well-formed percent escapes (RFC 9112, 3.2), a request line within the server's 4 KiB, and
         * headers within its 20 KiB.
         */
        boolean isValidHttp() {
            return isValidTarget(target) && method.length() + target.length() + 10 <= 4096
                    && headers.values().stream().mapToInt(String::length).sum() < 16 * 1024;
        }

        /** What the request was, with the one header a reproduction by hand most easily gets wrong. */
        String summary() {
            String type = headers.containsKey("Content-Type") ? " (Content-Type: " + headers.get("Content-Type") + ")"
                    : body != null ? " (no Content-Type)" : "";
            return kind + " " + method + " " + abbreviate(target) + type;
        }
    }

    private static Generated generate(Random random, Endpoint endpoint, Credentials credentials) {
        List<String> kinds = new ArrayList<>();
        String method = endpoint.method();
        if (random.nextInt(10) == 0) {
            method = METHODS[random.nextInt(METHODS.length)];
            kinds.add("method");
        }
        String path = endpoint.path()
                .replace("{u}", pick(random, credentials.userId, "nobody", "x".repeat(300)))
                .replace("{d}", pick(random, credentials.deviceId, UUID.randomUUID().toString(), "not-a-uuid"))
                .replace("{t}", pick(random, credentials.transactionId, UUID.randomUUID().toString(), "not-a-uuid"))
                .replace("{c}", pick(random, credentials.clientId, "nope", "%00"))
                .replace("{n}", pick(random, "hostile", "NOPE", "a/b"))
                .replace("{p}", pick(random, "login", "approval", "nope"));
        if (random.nextInt(4) == 0) {
            String trick = PATH_TRICKS[random.nextInt(PATH_TRICKS.length)];
            String[] segments = path.split("/", -1);
            int at = 1 + random.nextInt(Math.max(1, segments.length - 1));
            segments[Math.min(at, segments.length - 1)] = trick;
            path = String.join("/", segments);
            kinds.add("path");
        }
        if (random.nextInt(8) == 0) {
            path += "?" + pick(random, "a=%ZZ", "x=" + "y".repeat(2000), "&&&==", "type=login&type=approval");
            kinds.add("query");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String auth = authorization(random, endpoint.auth(), credentials, kinds);
        if (auth != null) {
            headers.put("Authorization", auth);
        }
        if ("user".equals(endpoint.auth()) && random.nextInt(3) > 0) {
            headers.put("X-Access-Token", random.nextBoolean() ? credentials.accessToken : pick(random, "", "x", "\u00ff".repeat(50)));
        }
        if ("callback".equals(endpoint.auth())) {
            headers.put("X-Signature", pick(random, "t=1,v1=00", "t=" + System.currentTimeMillis() / 1000 + ",v1=" + "ab".repeat(32),
                    "garbage", "t=99999999999999999999,v1=zz", ""));
        }
        byte[] body = null;
        if (endpoint.body() != null || random.nextInt(6) == 0) {
            String contentType = random.nextInt(4) == 0 ? CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)]
                    : "form".equals(endpoint.body()) || "portal-form".equals(endpoint.body())
                    ? "application/x-www-form-urlencoded" : "application/json";
            if (!contentType.isEmpty()) {
                headers.put("Content-Type", contentType);
            }
            body = body(random, endpoint.body(), credentials, kinds);
        }
        if (random.nextInt(20) == 0) {
            headers.put("X-Padding", "p".repeat(20_000));
            kinds.add("huge-header");
        }
        return new Generated(method, path, headers, body, String.join("+", kinds));
    }

    private static String authorization(Random random, String auth, Credentials credentials, List<String> kinds) {
        int choice = random.nextInt(6);
        if (choice == 0) {
            kinds.add("no-auth");
            return null;
        }
        if (choice == 1) {
            kinds.add("broken-auth");
            return pick(random, "Basic", "Basic !!!", "Basic " + b64("no-colon"), "Bearer x", "Basic " + b64(":"),
                    "Basic " + b64("\u0000:\u0000"), "Basic " + "A".repeat(3000), "Digest a=b");
        }
        if (choice == 2 || auth == null) {
            kinds.add("wrong-auth");
            return "Basic " + b64(UUID.randomUUID() + ":" + UUID.randomUUID());
        }
        return switch (auth) {
            case "client" -> new BasicCredentials(credentials.clientId, credentials.clientSecret).header();
            case "admin" -> new BasicCredentials("admin", credentials.adminPassword).header();
            case "device", "user" -> new BasicCredentials(credentials.deviceId, credentials.deviceSecret).header();
            default -> new BasicCredentials("portal", "portal").header();
        };
    }

    private static byte[] body(Random random, String kind, Credentials credentials, List<String> kinds) {
        int choice = random.nextInt(10);
        String text = switch (choice) {
            case 0 -> { kinds.add("bad-json"); yield pick(random, "{", "[1,2", "{\"a\":}", "nul", "{\"a\":1,}", "\u0000\u0001", "", "{}{}"); }
            case 1 -> { kinds.add("wrong-types"); yield pick(random, "{\"user_id\":5}", "{\"name\":[],\"method\":{}}",
                    "{\"otp\":123}", "{\"pin\":false}", "{\"transaction_id\":1,\"message\":2}", "[]", "42", "\"s\"",
                    "{\"time_to_live_seconds\":\"x\"}", "{\"callback_uris\":\"http://x\"}"); }
            case 2 -> { kinds.add("huge-value"); yield "{\"user_id\":\"" + "u".repeat(60_000) + "\"}"; }
            case 3 -> { kinds.add("over-limit"); yield "{\"a\":\"" + "o".repeat(70_000) + "\"}"; }
            case 4 -> { kinds.add("deep-nesting"); yield "[".repeat(5_000) + "]".repeat(5_000); }
            case 5 -> { kinds.add("bad-base64"); yield "{\"transaction_id\":\"" + credentials.transactionId
                    + "\",\"message\":\"" + pick(random, "!!!", "====", "YQ", "\u00e9") + "\"}"; }
            case 6 -> { kinds.add("bad-openpgp");
                byte[] junk = new byte[random.nextInt(600) + 1];
                random.nextBytes(junk);
                yield random.nextBoolean()
                        ? "{\"transaction_id\":\"" + credentials.transactionId + "\",\"message\":\"" + Base64.getEncoder().encodeToString(junk) + "\"}"
                        : "{\"device_certificate\":\"-----BEGIN PGP PUBLIC KEY BLOCK-----\\n\\n" + Base64.getEncoder().encodeToString(junk)
                        + "\\n-----END PGP PUBLIC KEY BLOCK-----\\n\"}"; }
            case 7 -> { kinds.add("numbers"); yield pick(random, "{\"time_to_live_seconds\":1e309}", "{\"time_to_live_seconds\":-1}",
                    "{\"time_to_live_seconds\":99999999999999999999999}", "{\"max_message_length\":0}", "{\"pin\":\"" + "9".repeat(1000) + "\"}"); }
            case 8 -> { kinds.add("form-garbage"); yield pick(random, "type=%ZZ", "type=" + "t".repeat(66_000), "=&=&=", "type=login&callback_uri=file:///etc/passwd",
                    "type=login&callback_uri=http://169.254.169.254/latest", "csrf=" + "c".repeat(100), "type=login&ip_address=999.1.1.1"); }
            default -> { kinds.add("plausible"); yield plausible(kind, credentials); }
        };
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String plausible(String kind, Credentials credentials) {
        if (kind == null) {
            return "{}";
        }
        return switch (kind) {
            case "form" -> "type=login&callback_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&message=" + "m".repeat(400);
            case "device-registration" -> "{\"name\":\"" + "n".repeat(500) + "\"}";
            case "user-registration" -> "{\"user_id\":\"" + credentials.userId + "\",\"activation_code\":\"AAAAA-AAAAA\",\"pin\":\"1\"}";
            case "pin" -> "{\"pin\":\"00000\"}";
            case "otp" -> "{\"otp\":\"eyJ0cmFuc2FjdGlvbl9pZCI6IjEifQ\"}";
            case "short-code" -> "{\"short_code\":\"k7qm 4xrt-9bhn-3pwz\"}";
            case "client" -> "{\"name\":\"../x\",\"display_name\":\"\",\"callback_uris\":[\"javascript:alert(1)\"]}";
            case "type" -> "{\"name\":\"UPPER\",\"method\":\"PUSH\",\"time_to_live_seconds\":0}";
            case "user" -> "{\"user_id\":\"\"}";
            case "callback" -> "{\"transaction_id\":\"" + credentials.transactionId + "\",\"status\":\"CONFIRMED\"}";
            default -> "{}";
        };
    }

    private static String pick(Random random, String... values) {
        return values[random.nextInt(values.length)];
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isValidTarget(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '%') {
                if (i + 2 >= target.length() || Character.digit(target.charAt(i + 1), 16) < 0
                        || Character.digit(target.charAt(i + 2), 16) < 0) {
                    return false;
                }
                i += 2;
            } else if (TARGET_CHARACTERS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String describe(RawHttp.Response response) {
        String text = response.text();
        int title = text.indexOf("<title>");
        return title >= 0 ? text.substring(title, Math.min(text.length(), title + 120)) : abbreviate(text);
    }

    private static String abbreviate(String text) {
        return text.length() > 160 ? text.substring(0, 160) + "..." : text;
    }

    /** Valid credentials of every kind, so that malformed bodies get past authentication too. */
    static final class Credentials {
        String adminPassword;
        String clientId;
        String clientSecret;
        String deviceId;
        String deviceSecret;
        String userId;
        String accessToken;
        String transactionId;

        static Credentials create(TokenServerProcess server) throws IOException {
            Credentials credentials = new Credentials();
            credentials.adminPassword = server.adminPassword;
            FaultFlows.Client client = FaultFlows.client(server, "http://127.0.0.1:9/callbacks");
            credentials.clientId = client.id();
            credentials.clientSecret = client.secret();
            FaultFlows.type(server, "hostile", 600);
            TokenServerProcess.Response started = FaultFlows.initiate(server, client, "hostile", client.callbackUri());
            assertThat(started.status()).as("%s", started.body()).isEqualTo(200);
            credentials.transactionId = started.string("transaction_id");
            RawHttp.Response device = json(server, "POST", "/device/api/v1/devices", null, null, "{\"name\":\"hostile\"}");
            Map<String, Object> deviceBody = map(device);
            credentials.deviceId = (String) deviceBody.get("device_id");
            credentials.deviceSecret = (String) deviceBody.get("device_secret");
            credentials.userId = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
            String code = server.admin().createUser(credentials.userId).activationCode();
            String deviceAuth = new BasicCredentials(credentials.deviceId, credentials.deviceSecret).header();
            RawHttp.Response registered = json(server, "POST", "/device/api/v1/users", deviceAuth, null,
                    "{\"user_id\":\"" + credentials.userId + "\",\"activation_code\":\"" + code + "\",\"pin\":\"" + LoginSystem.PIN + "\"}");
            assertThat(registered.status()).as(registered.text()).isBetween(200, 201);
            RawHttp.Response session = json(server, "POST", "/device/api/v1/users/" + credentials.userId + "/session",
                    deviceAuth, null, "{\"pin\":\"" + LoginSystem.PIN + "\"}");
            credentials.accessToken = (String) map(session).get("access_token");
            assertThat(credentials.accessToken).as(session.text()).isNotBlank();
            return credentials;
        }

        private static RawHttp.Response json(TokenServerProcess server, String method, String path, String auth,
                                             String accessToken, String body) throws IOException {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            if (auth != null) {
                headers.put("Authorization", auth);
            }
            if (accessToken != null) {
                headers.put("X-Access-Token", accessToken);
            }
            return RawHttp.send(server.uri.getPort(),
                    RawHttp.request(method, path, headers, body.getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(15));
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> map(RawHttp.Response response) {
            return ProtocolJson.read(response.body(), Map.class);
        }
    }
}
