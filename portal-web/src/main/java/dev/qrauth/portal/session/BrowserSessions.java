package dev.qrauth.portal.session;

import dev.qrauth.portal.challenge.Challenges;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The portal's browser sessions. A session id is 32 random bytes; the map holds only its SHA-256,
 * so a heap dump or a debug listing does not hand out live cookies.
 */
@ApplicationScoped
public class BrowserSessions {

    /** A logged-in session nobody used for this long is ended. */
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);
    /**
     * An anonymous session (a login page) lasts less: long enough for its codes to be renewed
     * five times, short enough that abandoned visits do not pile up.
     */
    static final Duration ANONYMOUS_IDLE_TIMEOUT = Duration.ofMinutes(15);
    /** No session lives longer than this, used or not. */
    static final Duration MAX_AGE = Duration.ofHours(12);
    /** Beyond this many sessions new visitors are turned away rather than exhausting memory. */
    static final int MAX_SESSIONS = 100_000;

    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final Map<String, BrowserSession> byKey = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Challenges challenges;

    BrowserSessions(Challenges challenges, Clock clock) {
        this.challenges = challenges;
        this.clock = clock;
    }

    /** A new session and the id to put in the browser's cookie. */
    public record Started(String sessionId, BrowserSession session) {
    }

    /** The live session with this id; nothing for an unknown, ended, expired or ill-formed id. */
    public Optional<BrowserSession> find(String sessionId) {
        if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
            return Optional.empty();
        }
        BrowserSession session = byKey.get(hash(sessionId));
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(session, now)) {
            end(session);
            return Optional.empty();
        }
        session.touch(now);
        return Optional.of(session);
    }

    /** Starts an anonymous session. */
    public Started start() {
        return create(null);
    }

    /**
     * Ends {@code old} and starts a session logged in as {@code userId} under a new id: the id an
     * attacker may have planted or seen before login does not carry the login.
     */
    public Started logIn(BrowserSession old, String userId) {
        end(old);
        return create(userId);
    }

    /** Ends a session; its open challenges are given up at the token server. */
    public void end(BrowserSession session) {
        if (byKey.remove(session.key(), session)) {
            session.challenges().forEach(challenges::abandon);
        }
    }

    /** Ends idle and too old sessions. */
    @Scheduled(every = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void endExpired() {
        Instant now = clock.instant();
        byKey.values().stream().filter(s -> expired(s, now)).forEach(this::end);
    }

    int size() {
        return byKey.size();
    }

    private Started create(String userId) {
        if (byKey.size() >= MAX_SESSIONS) {
            endExpired();
            if (byKey.size() >= MAX_SESSIONS) {
                throw new TooManySessionsException();
            }
        }
        String sessionId = randomToken();
        BrowserSession session = new BrowserSession(hash(sessionId), randomToken(), userId, clock.instant());
        byKey.put(session.key(), session);
        return new Started(sessionId, session);
    }

    private static boolean expired(BrowserSession session, Instant now) {
        Duration idle = session.userId().isPresent() ? IDLE_TIMEOUT : ANONYMOUS_IDLE_TIMEOUT;
        return session.lastSeen().plus(idle).isBefore(now) || session.createdAt().plus(MAX_AGE).isBefore(now);
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String hash(String sessionId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
