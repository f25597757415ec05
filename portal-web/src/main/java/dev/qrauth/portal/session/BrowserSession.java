package dev.qrauth.portal.session;

import dev.qrauth.portal.challenge.Challenge;
import dev.qrauth.portal.challenge.Purpose;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One browser's session with the portal, kept in memory (the portal is one node). A session is
 * either anonymous or logged in as one user; logging in replaces the session with a new one under
 * a new id, so an id seen before login is worth nothing after it.
 */
public final class BrowserSession {

    private final String key;
    private final String csrfToken;
    private final String userId;
    private final Instant createdAt;
    private volatile Instant lastSeen;
    private final Map<Purpose, Challenge> challenges = new ConcurrentHashMap<>();
    private volatile java.util.UUID loginTransactionId;

    BrowserSession(String key, String csrfToken, String userId, Instant createdAt) {
        this.key = key;
        this.csrfToken = csrfToken;
        this.userId = userId;
        this.createdAt = createdAt;
        this.lastSeen = createdAt;
    }

    /** The hash of the cookie value this session is found by; the value itself is not kept. */
    String key() {
        return key;
    }

    /** The token every form of this session must carry back. */
    public String csrfToken() {
        return csrfToken;
    }

    /** The logged-in user, if any. */
    public Optional<String> userId() {
        return Optional.ofNullable(userId);
    }

    /** The transaction the phone confirmed to log this session in, for its receipt; empty before. */
    public Optional<java.util.UUID> loginTransactionId() {
        return Optional.ofNullable(loginTransactionId);
    }

    public void loginTransactionId(java.util.UUID transactionId) {
        loginTransactionId = transactionId;
    }

    /** When this session began; for a logged-in session, the login time. */
    public Instant createdAt() {
        return createdAt;
    }

    Instant lastSeen() {
        return lastSeen;
    }

    void touch(Instant now) {
        lastSeen = now;
    }

    /** This session's current challenge for {@code purpose}, if one was started. */
    public Optional<Challenge> challenge(Purpose purpose) {
        return Optional.ofNullable(challenges.get(purpose));
    }

    /** Makes {@code challenge} the current one for its purpose and returns the one it replaces. */
    public Optional<Challenge> replaceChallenge(Challenge challenge) {
        return Optional.ofNullable(challenges.put(challenge.purpose(), challenge));
    }

    List<Challenge> challenges() {
        return List.copyOf(challenges.values());
    }
}
