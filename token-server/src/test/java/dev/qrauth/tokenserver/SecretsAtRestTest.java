package dev.qrauth.tokenserver;

import static dev.qrauth.tokenserver.TestApi.admin;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reads every table as raw text after secrets went through the APIs, and finds none of them. */
@QuarkusTest
class SecretsAtRestTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void noSecretIsStoredInClear() throws Exception {
        String callbackPassword = "callback-password-" + TestApi.unique("p");
        io.restassured.response.Response created = admin().body(Map.of("name", TestApi.unique("portal"),
                        "display_name", "P", "callback_uris", List.of(),
                        "callback_username", "portal", "callback_password", callbackPassword))
                .post("/admin/api/v1/clients").then().statusCode(201).extract().response();
        String clientSecret = created.path("client_secret");
        String signingSecret = created.path("callback_signing_secret");

        TestApi.Code code = TestApi.createUser();
        TestApi.DeviceCredentials device = TestApi.registerDevice();
        String pin = "8642097531";
        device.auth().body(Map.of("user_id", code.userId(), "activation_code", code.activationCode(), "pin", pin))
                .post("/device/api/v1/users").then().statusCode(201);
        String accessToken = device.auth().body(Map.of("pin", pin))
                .post("/device/api/v1/users/{u}/session", code.userId())
                .then().statusCode(200).extract().path("access_token");
        String unusedCode = admin().post("/admin/api/v1/users/{u}/activation-codes", code.userId())
                .then().statusCode(201).extract().path("activation_code");

        TestPortal portal = TestPortal.create();
        String otp = portal.initiate().path("otp");
        String otpCode = ((dev.qrauth.protocol.otp.OtpDecoding.Accepted) dev.qrauth.protocol.otp.OtpCodec.decode(otp))
                .payload().code();

        String everything = dumpAllTables();
        assertThat(everything).contains(code.userId()).contains(device.deviceId());
        for (String secret : List.of(clientSecret, signingSecret, callbackPassword, device.secret(), accessToken,
                code.activationCode(), unusedCode, TestApi.ADMIN_PASSWORD, pin, otp, otpCode)) {
            assertThat(everything).as("a secret in clear").doesNotContain(secret);
        }
        assertThat(everything).doesNotContain("PRIVATE KEY BLOCK");
        assertThat(countOccurrences(everything, "$argon2id$")).isGreaterThanOrEqualTo(3);
    }

    private String dumpAllTables() throws Exception {
        StringBuilder dump = new StringBuilder();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet names = statement.executeQuery(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
                while (names.next()) {
                    tables.add(names.getString(1));
                }
            }
            assertThat(tables).contains("api_client", "device", "registration", "access_token",
                    "activation_code", "server_key", "admin_credential");
            for (String table : tables) {
                try (ResultSet rows = statement.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    ResultSetMetaData meta = rows.getMetaData();
                    while (rows.next()) {
                        dump.append('|');
                        for (int column = 1; column <= meta.getColumnCount(); column++) {
                            Object value = rows.getObject(column);
                            dump.append(value instanceof byte[] bytes
                                    ? new String(bytes, StandardCharsets.ISO_8859_1)
                                    : String.valueOf(value)).append('|');
                        }
                        dump.append('\n');
                    }
                }
            }
        }
        return dump.toString();
    }

    private static int countOccurrences(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }
}
