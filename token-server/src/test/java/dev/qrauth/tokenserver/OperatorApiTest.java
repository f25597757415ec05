package dev.qrauth.tokenserver;

import static dev.qrauth.tokenserver.TestApi.admin;
import static dev.qrauth.tokenserver.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.qrauth.protocol.message.MobileAuthMessage;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The operator's side of the admin API: changing types, managing users, reading the audit trail. */
@QuarkusTest
class OperatorApiTest {

    private static final String TYPES = "/admin/api/v1/mobile-auth-types";
    private static final String AUDIT = "/admin/api/v1/audit";

    @Inject
    AgroalDataSource dataSource;

    private static Map<String, Object> type(String name) {
        return new HashMap<>(Map.of("name", name, "method", "OTP", "time_to_live_seconds", 120,
                "default_message", "Log in"));
    }

    private static Map<String, Object> listedType(String name) {
        Map<String, Object> listed = admin().get(TYPES).then().statusCode(200).extract()
                .path("find { it.name == '" + name + "' }");
        assertThat(listed).as(name).isNotNull();
        return listed;
    }

    private static Response initiate(TestPortal portal, String type, Map<String, String> extra) {
        Map<String, String> parameters = new HashMap<>(Map.of("type", type, "callback_uri", TestPortal.CALLBACK));
        parameters.putAll(extra);
        return portal.initiateRaw(parameters).then().statusCode(200).extract().response();
    }

    @Test
    void theOpenApiDocumentDescribesTheNewEndpointsUnderTheAdminScheme() {
        Response document = admin().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().response();
        // The scheme itself (admin/AdminApiDocumentation) is not asserted here: SmallRye reads
        // @SecurityScheme only from Application and resource classes (see the report to the lead).
        for (String[] operation : new String[][] {{"/admin/api/v1/mobile-auth-types/{name}", "patch"},
                {"/admin/api/v1/users", "get"}, {"/admin/api/v1/users/{userId}", "delete"},
                {"/admin/api/v1/users/{userId}/disenroll", "post"}, {"/admin/api/v1/audit", "get"}}) {
            String path = "paths.'" + operation[0] + "'." + operation[1];
            assertThat((String) document.path(path + ".description")).as(path).isNotBlank();
            assertThat((List<?>) document.path(path + ".security.admin")).as(path).isNotNull();
            assertThat((List<String>) document.path(path + ".tags")).as(path).contains("Admin");
        }
    }

    @Nested
    class ChangingTypes {
        @Test
        void aChangeSetsOnlyTheGivenMembersAndOnlyNewTransactionsSeeIt() {
            String name = unique("login");
            admin().body(type(name)).post(TYPES).then().statusCode(201);
            TestPortal portal = TestPortal.create();
            TestDevice phone = TestDevice.enrolled();
            Response before = initiate(portal, name, Map.of());

            admin().body(Map.of("time_to_live_seconds", 300, "default_message", "Sign in", "number_matching", true))
                    .patch(TYPES + "/{n}", name).then().statusCode(200)
                    .body("name", equalTo(name)).body("time_to_live_seconds", equalTo(300))
                    .body("default_message", equalTo("Sign in")).body("number_matching", equalTo(true))
                    .body("max_message_length", equalTo(155)).body("proximity", equalTo("off"))
                    .body("reverse_code", equalTo(false));

            assertThat(listedType(name)).containsEntry("time_to_live_seconds", 300)
                    .containsEntry("default_message", "Sign in");
            MobileAuthMessage old = phone.fetch(before.path("otp"));
            assertThat(old.message()).as("an open transaction keeps its message").isEqualTo("Log in");
            assertThat(old.numberChoices()).as("and its policies").isNull();
            assertThat((Integer) before.path("time_to_live")).isEqualTo(120_000);

            Response after = initiate(portal, name, Map.of());
            assertThat((Integer) after.path("time_to_live")).isEqualTo(300_000);
            assertThat((Integer) after.path("binding_code")).isNotNull();
            assertThat(phone.fetch(after.path("otp")).message()).isEqualTo("Sign in");
            admin().queryParam("type", "MOBILE_AUTH_TYPE_CHANGED").get(AUDIT).then()
                    .body("events.details", hasItem(name + ": time_to_live_seconds, default_message, number_matching"));
        }

        @Test
        void theProximitySettingsCanBeChanged() {
            String name = unique("login");
            admin().body(type(name)).post(TYPES).then().statusCode(201);
            admin().body(Map.of("proximity", "warn", "reverse_code", true)).patch(TYPES + "/{n}", name)
                    .then().statusCode(200).body("proximity", equalTo("warn")).body("reverse_code", equalTo(true))
                    .body("time_to_live_seconds", equalTo(120));
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "{}",
                "{\"time_to_live_seconds\":5}",
                "{\"time_to_live_seconds\":7200}",
                "{\"name\":\"another\"}",
                "{\"method\":\"PUSH\"}",
                "{\"default_message\":\"\"}",
                "{\"default_message\":\"Log\\u202ein\"}",
                "{\"max_message_length\":3}",
                "{\"proximity\":\"nearby\"}",
                "{\"default_messages\":{\"not a tag\":\"Hallo\"}}",
                "{\"default_messages\":{\"nl\":\"In\\nloggen\"}}",
                "{\"default_messages\":{\"nl\":\" \"}}",
                "{\"default_messages\":{\"nl\":\"Inloggen\",\"NL\":\"Aanmelden\"}}",
                "{\"time_to_live_seconds\":300,\"proximity\":\"nearby\"}",
                "{\"unknown_member\":1}"})
        void aBadChangeIsRefusedAndChangesNothing(String body) {
            String name = unique("login");
            admin().body(type(name)).post(TYPES).then().statusCode(201);
            admin().body(body).patch(TYPES + "/{n}", name).then().statusCode(400)
                    .body("error", equalTo("invalid_request")).body("error_message", notNullValue());
            assertThat(listedType(name)).containsEntry("time_to_live_seconds", 120)
                    .containsEntry("default_message", "Log in").containsEntry("max_message_length", 155)
                    .containsEntry("proximity", "off").containsEntry("default_messages", Map.of());
        }

        @Test
        void anUnknownTypeIsNotFound() {
            admin().body(Map.of("time_to_live_seconds", 60)).patch(TYPES + "/{n}", unique("nosuch"))
                    .then().statusCode(404).body("error", equalTo("not_found"));
        }

        @Test
        void theDefaultMessageFollowsTheLanguageCode() {
            String name = unique("login");
            Map<String, Object> request = type(name);
            request.put("default_message", "Anmelden");
            request.put("default_messages", Map.of("nl", "Inloggen", "en", "Log in"));
            admin().body(request).post(TYPES).then().statusCode(201)
                    .body("default_messages.nl", equalTo("Inloggen"));
            TestPortal portal = TestPortal.create();
            TestDevice phone = TestDevice.enrolled();

            Map<String, String> expected = Map.of("nl", "Inloggen", "nl-BE", "Inloggen", "EN", "Log in",
                    "fr", "Anmelden");
            expected.forEach((language, shown) -> assertThat(phone.fetch(initiate(portal, name,
                    Map.of("language_code", language)).path("otp")).message()).as(language).isEqualTo(shown));
            assertThat(phone.fetch(initiate(portal, name, Map.of()).path("otp")).message()).isEqualTo("Anmelden");
            assertThat(phone.fetch(initiate(portal, name, Map.of("language_code", "nl", "message", "Eigen tekst"))
                    .path("otp")).message()).as("a message given wins").isEqualTo("Eigen tekst");

            admin().body(Map.of("default_messages", Map.of("de", "Anmelden bitte"))).patch(TYPES + "/{n}", name)
                    .then().statusCode(200).body("default_messages", equalTo(Map.of("de", "Anmelden bitte")));
            assertThat(phone.fetch(initiate(portal, name, Map.of("language_code", "nl")).path("otp")).message())
                    .as("the change replaced the languages").isEqualTo("Anmelden");
        }

        @Test
        void aTypeWithOnlyLanguageMessagesNeedsAMessageForOtherLanguages() {
            String name = unique("login");
            admin().body(Map.of("name", name, "method", "OTP", "time_to_live_seconds", 60,
                    "default_messages", Map.of("nl", "Inloggen"))).post(TYPES).then().statusCode(201);
            TestPortal portal = TestPortal.create();
            portal.initiateRaw(Map.of("type", name, "callback_uri", TestPortal.CALLBACK, "language_code", "en"))
                    .then().statusCode(400);
            initiate(portal, name, Map.of("language_code", "nl"));
        }

        @Test
        void aBadLanguageAtCreationIsRefused() {
            Map<String, Object> request = type(unique("login"));
            request.put("default_messages", Map.of("english!", "Log in"));
            admin().body(request).post(TYPES).then().statusCode(400).body("error", equalTo("invalid_request"));
            admin().get(TYPES).then().body("name", org.hamcrest.Matchers.not(hasItem(request.get("name"))));
        }
    }

    @Nested
    class Users {
        @Test
        void usersArePagedInOrderAndFoundByPartOfTheirId() {
            String tag = UUID.randomUUID().toString().substring(0, 8);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String id = "list-" + tag + "-" + i;
                admin().body(Map.of("user_id", id)).post("/admin/api/v1/users").then().statusCode(201);
                ids.add(id);
            }
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                var request = admin().queryParam("q", tag).queryParam("limit", 2);
                if (cursor != null) {
                    request.queryParam("cursor", cursor);
                }
                Response page = request.get("/admin/api/v1/users").then().statusCode(200).extract().response();
                seen.addAll(page.path("users.user_id"));
                cursor = page.path("next_cursor");
                pages++;
            } while (cursor != null && pages < 10);
            assertThat(seen).containsExactlyElementsOf(ids);
            assertThat(pages).isEqualTo(3);

            admin().queryParam("q", tag + "-3").get("/admin/api/v1/users").then().statusCode(200)
                    .body("users.user_id", equalTo(List.of(ids.get(3)))).body("next_cursor", nullValue())
                    .body("users[0].devices", equalTo(0)).body("users[0].created_at", notNullValue());
        }

        @Test
        void theListingCountsDevices() {
            TestApi.Registered registered = TestApi.registerUser();
            admin().queryParam("q", registered.userId()).get("/admin/api/v1/users").then()
                    .body("users.find { it.user_id == '" + registered.userId() + "' }.devices", equalTo(1));
        }

        @ParameterizedTest
        @ValueSource(strings = {"limit=0", "limit=1001", "limit=ten", "cursor=!!!", "cursor=YXVkaXQ6MTI"})
        void badListingParametersAreRefused(String query) {
            admin().get("/admin/api/v1/users?" + query).then().statusCode(400).body("error", equalTo("invalid_request"));
        }

        @Test
        void deletingAUserRemovesItsRegistrationsAndEnrollments() {
            TestDevice phone = TestDevice.enrolled();
            String userId = phone.userId();

            admin().delete("/admin/api/v1/users/{u}", userId).then().statusCode(204);

            admin().get("/admin/api/v1/users/{u}", userId).then().statusCode(404);
            phone.registered.device().auth().body(Map.of("pin", TestApi.PIN))
                    .post("/device/api/v1/users/{user}/session", userId).then().statusCode(403)
                    .body("error", equalTo("USER_DEREGISTERED"));
            assertThat(phone.fetchRaw("irrelevant").statusCode()).isIn(401, 403);
            admin().queryParam("user_id", userId).queryParam("type", "USER_DELETED").get(AUDIT).then()
                    .body("events", hasSize(1)).body("events[0].details", equalTo("registrations: 1"));
            admin().queryParam("user_id", userId).get(AUDIT).then()
                    .body("events.event_type", hasItem("MOBILE_AUTH_ENROLLED"));
        }

        @Test
        void deletingAnUnknownUserIsNotFound() {
            admin().delete("/admin/api/v1/users/{u}", unique("nosuch")).then().statusCode(404)
                    .body("error", equalTo("not_found"));
        }

        @Test
        void anAdminDisenrollmentIsToldToThePhoneOnItsNextFetch() {
            TestDevice phone = TestDevice.enrolled();
            TestPortal portal = TestPortal.create();

            admin().post("/admin/api/v1/users/{u}/disenroll", phone.userId()).then().statusCode(200)
                    .body("user_id", equalTo(phone.userId()))
                    .body("disenrolled_devices", equalTo(List.of(phone.registered.device().deviceId())));

            phone.fetchRaw(portal.initiate().path("otp")).then().statusCode(403).body("error", equalTo("USER_DISENROLLED"));
            admin().get("/admin/api/v1/users/{u}", phone.userId()).then()
                    .body("devices[0].mobile_auth_enrolled", equalTo(false));
            admin().queryParam("user_id", phone.userId()).queryParam("type", "MOBILE_AUTH_DISENROLLED").get(AUDIT)
                    .then().body("events", hasSize(1)).body("events[0].actor", equalTo("admin"))
                    .body("events[0].device_id", equalTo(phone.registered.device().deviceId()));
            admin().post("/admin/api/v1/users/{u}/disenroll", phone.userId()).then().statusCode(200)
                    .body("disenrolled_devices", hasSize(0));
        }

        @Test
        void aDisenrollmentOnOneDeviceNamesIt() {
            TestDevice phone = TestDevice.enrolled();
            admin().queryParam("device_id", phone.registered.device().deviceId())
                    .post("/admin/api/v1/users/{u}/disenroll", phone.userId()).then().statusCode(200)
                    .body("disenrolled_devices", hasSize(1));
        }

        @Test
        void aBadDisenrollmentChangesNothing() {
            TestDevice phone = TestDevice.enrolled();
            admin().post("/admin/api/v1/users/{u}/disenroll", unique("nosuch")).then().statusCode(404);
            admin().queryParam("device_id", "not-a-uuid").post("/admin/api/v1/users/{u}/disenroll", phone.userId())
                    .then().statusCode(400).body("error", equalTo("invalid_request"));
            admin().queryParam("device_id", UUID.randomUUID()).post("/admin/api/v1/users/{u}/disenroll", phone.userId())
                    .then().statusCode(404).body("error", equalTo("not_found"));
            admin().get("/admin/api/v1/users/{u}", phone.userId()).then()
                    .body("devices[0].mobile_auth_enrolled", equalTo(true));
        }
    }

    @Nested
    class Audit {
        /** Inserts {@code count} events for {@code clientId}, one per second back from {@code newest}. */
        private void insertEvents(String clientId, String type, int count, Instant newest) throws Exception {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_event (occurred_at, "
                         + "event_type, actor, client_id, details) SELECT ?::timestamptz - make_interval(secs => n), ?, "
                         + "'admin', ?, 'n=' || n FROM generate_series(0, ? - 1) AS n ORDER BY n DESC")) {
                insert.setString(1, newest.toString());
                insert.setString(2, type);
                insert.setString(3, clientId);
                insert.setInt(4, count);
                insert.executeUpdate();
            }
        }

        @Test
        void theCursorPagesPastTheFirstThousand() throws Exception {
            String clientId = unique("paged");
            insertEvents(clientId, "CLIENT_CREATED", 2500, Instant.now());
            List<Long> ids = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            String cursor = null;
            do {
                var request = admin().queryParam("client_id", clientId).queryParam("limit", 1000);
                if (cursor != null) {
                    request.queryParam("cursor", cursor);
                }
                Response page = request.get(AUDIT).then().statusCode(200).extract().response();
                List<Number> pageIds = page.path("events.id");
                pageIds.forEach(id -> ids.add(id.longValue()));
                sizes.add(pageIds.size());
                cursor = page.path("next_cursor");
            } while (cursor != null && sizes.size() < 10);
            assertThat(sizes).containsExactly(1000, 1000, 500);
            assertThat(new HashSet<>(ids)).hasSize(2500);
            assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        }

        @Test
        void eventsAreFilteredByClientTypeAndTime() throws Exception {
            String clientId = unique("filtered");
            Instant newest = Instant.parse("2030-01-01T12:00:00Z");
            insertEvents(clientId, "CLIENT_CREATED", 10, newest);
            insertEvents(clientId, "CLIENT_DELETED", 3, newest);

            admin().queryParam("client_id", clientId).get(AUDIT).then().body("events", hasSize(13));
            admin().queryParam("client_id", clientId).queryParam("type", "CLIENT_DELETED").get(AUDIT).then()
                    .body("events", hasSize(3)).body("events.event_type", everyItem(equalTo("CLIENT_DELETED")));
            admin().queryParam("client_id", clientId).queryParam("type", "CLIENT_DELETED,CLIENT_CREATED").get(AUDIT)
                    .then().body("events", hasSize(13));
            // n = 2..4 seconds before the newest: from inclusive, to exclusive.
            admin().queryParam("client_id", clientId).queryParam("type", "CLIENT_CREATED")
                    .queryParam("from", "2030-01-01T11:59:56Z").queryParam("to", "2030-01-01T11:59:59Z").get(AUDIT)
                    .then().body("events.details", equalTo(List.of("n=2", "n=3", "n=4")));
            admin().queryParam("client_id", unique("nobody")).get(AUDIT).then()
                    .body("events", hasSize(0)).body("next_cursor", nullValue());
        }

        @Test
        void theOldParametersStillWork() {
            TestApi.Code user = TestApi.createUser();
            admin().queryParam("user_id", user.userId()).queryParam("limit", 1).get(AUDIT).then().statusCode(200)
                    .body("events", hasSize(1)).body("events[0].event_type", equalTo("ACTIVATION_CODE_ISSUED"))
                    .body("next_cursor", notNullValue());
        }

        @ParameterizedTest
        @ValueSource(strings = {"type=NO_SUCH_EVENT", "type=USER_CREATED,nope", "from=yesterday", "to=2030-13-01T00:00:00Z",
                "from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z", "cursor=garbage", "cursor=dXNlcnM6YQ",
                "limit=1001", "client_id=x&device_id=nope"})
        void badParametersAreRefused(String query) {
            admin().get(AUDIT + "?" + query).then().statusCode(400).body("error", equalTo("invalid_request"));
        }
    }
}
