package dev.qrauth.tokenserver.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.tokenserver.transaction.TransactionStore.ClientGrant;
import org.junit.jupiter.api.Test;

/** What the hot path remembers is found only with exactly the credentials that were verified. */
class KnownCredentialsTest {

    private final KnownCredentials known = new KnownCredentials();
    private final ClientGrant grant = new ClientGrant("client-1", "stored-hash", new String[0]);

    @Test
    void aClientIsFoundWithItsOwnSecretOnly() {
        known.rememberClient("client-1", "secret", grant);

        assertThat(known.client("client-1", "secret")).isSameAs(grant);
        assertThat(known.client("client-1", "Secret")).isNull();
        assertThat(known.client("client-2", "secret")).isNull();
    }

    @Test
    void partsThatConcatenateAlikeAreDifferentKeys() {
        known.rememberClient("ab", "c", grant);

        assertThat(known.client("a", "bc")).isNull();
        assertThat(known.client("abc", "")).isNull();
    }

    @Test
    void aSessionNeedsTheSameDeviceSecretUserAndToken() {
        TransactionStore.SessionGrant session = new TransactionStore.SessionGrant(java.util.UUID.randomUUID(), "alice",
                1L, "hash", "cert", "token-hash", null, false);
        known.rememberSession("device", "secret", "alice", "token", session);

        assertThat(known.session("device", "secret", "alice", "token")).isSameAs(session);
        assertThat(known.session("device", "secret", "alice", "other-token")).isNull();
        assertThat(known.session("device", "secret", "bob", "token")).isNull();
        assertThat(known.session("device", "wrong", "alice", "token")).isNull();
    }

    @Test
    void anOlderVersionOfATypeDoesNotReplaceANewerOne() {
        known.rememberType(new dev.qrauth.tokenserver.authtype.TypeRules("login", 60, "Log in", null, false, 155, "off",
                false, 3));
        known.rememberType(new dev.qrauth.tokenserver.authtype.TypeRules("login", 120, "Log in", null, false, 155, "off",
                false, 2));

        assertThat(known.type("login").version()).isEqualTo(3);
        assertThat(known.type("login").timeToLiveSeconds()).isEqualTo(60);
    }
}
