package dev.qrauth.portal.operator;

import dev.qrauth.portal.PortalConfig;
import dev.qrauth.portal.challenge.DuressEvent;
import dev.qrauth.portal.challenge.DuressEvents;
import dev.qrauth.portal.web.ErrorPages;
import dev.qrauth.protocol.http.BasicCredentials;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code GET /operator/duress}: the duress events the portal noted, the newest first, for the
 * user {@code operator} with the password {@code portal.operator.password}. Without that setting
 * the page does not exist ({@code 404}), so a portal set up as before shows no operator page.
 */
@Path("/operator/duress")
public class OperatorPage {

    static final String USER = "operator";
    static final String CHALLENGE = "Basic realm=\"qrauth portal operator\"";

    private static final Logger LOG = Logger.getLogger(OperatorPage.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

    private final Optional<byte[]> passwordDigest;
    private final DuressEvents duressEvents;
    private final GuessThrottle throttle = new GuessThrottle();

    OperatorPage(PortalConfig config, DuressEvents duressEvents) {
        this.passwordDigest = config.operator().password().map(OperatorPage::sha256);
        this.duressEvents = duressEvents;
    }

    /** One event as the page shows it. */
    public record Row(String time, String timeIso, String purpose, String userId, String action, String browserAddress,
                      String transactionId, String outcome) {

        static Row of(DuressEvent event) {
            var at = event.at().truncatedTo(ChronoUnit.SECONDS);
            return new Row(TIME.format(at.atOffset(ZoneOffset.UTC)), at.toString(), event.purpose().pathSegment(),
                    event.userId() == null ? "" : event.userId(), event.action() == null ? "" : event.action(),
                    event.browserAddress() == null ? "unknown" : event.browserAddress(),
                    event.transactionId().toString(), event.outcome().label());
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance duress(List<Row> rows);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response duress(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        byte[] expected = passwordDigest.orElseThrow(NotFoundException::new);
        Duration wait = throttle.acquire(Instant.now());
        if (!wait.isZero()) {
            // Not even checked: an answer here would tell a guesser whether the guess was right.
            return ErrorPages.refusal(429)
                    .header(HttpHeaders.RETRY_AFTER, Math.max(1, (wait.toMillis() + 999) / 1000)).build();
        }
        if (!authorized(authorization, expected)) {
            return ErrorPages.refusal(401).header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build();
        }
        throttle.succeeded();
        List<Row> rows = duressEvents.newestFirst().stream().map(Row::of).toList();
        return Response.ok(Templates.duress(rows).render(), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }

    /**
     * Whether the header carries the operator's user and password. Both are compared as SHA-256
     * digests in constant time, so neither the time taken nor an early exit tells how much of a
     * guess was right, or how long the password is.
     */
    private static boolean authorized(String authorization, byte[] expectedPassword) {
        if (authorization == null) {
            return false;
        }
        Optional<BasicCredentials> given = BasicCredentials.parse(authorization);
        boolean user = MessageDigest.isEqual(sha256(given.map(BasicCredentials::username).orElse("")), sha256(USER));
        boolean password = MessageDigest.isEqual(sha256(given.map(BasicCredentials::password).orElse("")), expectedPassword);
        if (!(user & password)) {
            LOG.warn("refused the operator page: wrong or unreadable credentials");
            return false;
        }
        return true;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
