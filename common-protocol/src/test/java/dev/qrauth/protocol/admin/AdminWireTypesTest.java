package dev.qrauth.protocol.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.json.ProtocolJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdminWireTypesTest {

    private static String json(Object value) {
        return new String(ProtocolJson.write(value), StandardCharsets.UTF_8);
    }

    @Test
    void aClientChangeWritesTheMembersGivenInTheirOrderAndReadsBackWhichWereThere() {
        ClientChange change = new ClientChange().withDisplayName("Shop").withCallbackCredentials(null, null)
                .withEnabled(true);

        String written = json(change);
        ClientChange read = ProtocolJson.read(written.getBytes(StandardCharsets.UTF_8), ClientChange.class);

        assertThat(written).isEqualTo(
                "{\"display_name\":\"Shop\",\"callback_username\":null,\"callback_password\":null,\"enabled\":true}");
        assertThat(read.has("display_name")).isTrue();
        assertThat(read.has("callback_username")).isTrue();
        assertThat(read.has("name")).isFalse();
        assertThat(read.callbackUsername()).isNull();
        assertThat(read.enabled()).isTrue();
        assertThat(new ClientChange().isEmpty()).isTrue();
        assertThat(json(new ClientChange())).isEqualTo("{}");
    }

    @Test
    void aTypeLeavesOutWhatItDoesNotSet() {
        assertThat(json(MobileAuthTypeView.otp("login", 120).withNumberMatching(true)))
                .isEqualTo("{\"name\":\"login\",\"method\":\"OTP\",\"time_to_live_seconds\":120,\"number_matching\":true}");
        assertThat(json(new MobileAuthTypeView(null, null, null, "Hello", null, null)))
                .isEqualTo("{\"default_message\":\"Hello\"}");
    }

    @Test
    void aRotationsOverlapIsAWholeNumber() {
        assertThat(json(SecretRotation.withOverlap(Duration.ofMinutes(2)))).isEqualTo("{\"overlap_seconds\":120}");
        assertThat(json(SecretRotation.withDefaultOverlap())).isEqualTo("{}");
    }

    @Test
    void theSecretsOfAnswersStayOutOfTheirText() {
        assertThat(new CreatedClient("c", "client-secret", "signing-secret").toString())
                .contains("c").doesNotContain("client-secret", "signing-secret");
        assertThat(new RotatedSecrets("c", "client-secret", "signing-secret", Instant.EPOCH).toString())
                .doesNotContain("client-secret", "signing-secret");
        assertThat(new IssuedActivationCode("alice", "the-code", Instant.EPOCH).toString()).doesNotContain("the-code");
        assertThat(NewClient.of("shop", "Shop", List.of()).withCallbackCredentials("u", "callback-password").toString())
                .doesNotContain("callback-password");
    }

    @Test
    void listingsLeaveOutTheCursorOfTheLastPage() {
        assertThat(json(new UserList(List.of(new UserList.Entry("alice", Instant.parse("2026-12-01T10:00:00Z"), 2)), null)))
                .isEqualTo("{\"users\":[{\"user_id\":\"alice\",\"created_at\":\"2026-12-01T10:00:00Z\",\"devices\":2}]}");
        assertThat(json(new AuditPage(List.of(), "next"))).isEqualTo("{\"events\":[],\"next_cursor\":\"next\"}");
    }
}
