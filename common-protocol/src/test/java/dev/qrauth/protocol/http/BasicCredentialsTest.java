package dev.qrauth.protocol.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BasicCredentialsTest {

    @Test
    void aHeaderItWritesReadsBackTheSameCredentialsEvenWithColonsAndNonAsciiInThePassword() {
        BasicCredentials sent = new BasicCredentials("portal-1", "s3cr:et:with:colons-é");

        assertThat(sent.header()).startsWith("Basic ");
        assertThat(BasicCredentials.parse(sent.header())).contains(sent);
        assertThat(BasicCredentials.parse("basic " + sent.header().substring(6))).contains(sent);
    }

    @Test
    void theHeaderIsTheStandardEncodingOfUserColonPassword() {
        assertThat(new BasicCredentials("Aladdin", "open sesame").header()).isEqualTo("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer abc", "Basic", "Basic !!!", "Digest a=b"})
    void aHeaderThatIsNotWellFormedBasicIsRefused(String header) {
        assertThat(BasicCredentials.parse(header)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"no-colon", ":password", "user:", ":"})
    void credentialsWithoutBothPartsAreRefused(String pair) {
        assertThat(BasicCredentials.parse(basic(pair.getBytes(StandardCharsets.UTF_8)))).isEmpty();
    }

    @Test
    void credentialsThatAreNotUtf8OrTooLongAreRefused() {
        assertThat(BasicCredentials.parse(basic(new byte[] {'u', ':', (byte) 0xff, (byte) 0xfe}))).isEmpty();
        assertThat(BasicCredentials.parse(new BasicCredentials("user", "x".repeat(2000)).header())).isEmpty();
        assertThat(BasicCredentials.parse(null)).isEmpty();
    }

    @Test
    void theSecretNeverShowsInItsText() {
        assertThat(new BasicCredentials("portal-1", "the-secret").toString()).contains("portal-1").doesNotContain("the-secret");
    }

    private static String basic(byte[] pair) {
        return "Basic " + Base64.getEncoder().encodeToString(pair);
    }
}
