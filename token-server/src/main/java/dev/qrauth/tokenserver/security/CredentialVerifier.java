package dev.qrauth.tokenserver.security;

import dev.qrauth.tokenserver.TokenServerConfig;
import dev.qrauth.tokenserver.audit.AuditLog;
import dev.qrauth.tokenserver.audit.AuditLog.Subject;
import dev.qrauth.tokenserver.audit.AuditType;
import dev.qrauth.tokenserver.ratelimit.TokenBuckets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Checks the secret presented for a client id, a device id or the admin user name, under a
 * budget of failures per id and per source address ({@code docs/PROTOCOL.md}, "Failed
 * authentications").
 *
 * <ol>
 *   <li>A secret that matched the stored hash recently ({@link VerifiedSecrets}) is accepted
 *       without hashing and without touching any budget.</li>
 *   <li>Otherwise one failure is reserved from the id's budget and from the address's; when
 *       either is spent, the answer is {@link Verdict.Throttled} and nothing is hashed.</li>
 *   <li>The secret is hashed and compared; for an unknown id against a dummy hash of the same
 *       parameters, so a known id and an unknown one cost the same and cannot be told apart.</li>
 *   <li>A match gives the reservation back: successful authentications are never counted.</li>
 *   <li>A mismatch is audited ({@code AUTHENTICATION_FAILED}): under the failure budgets, so
 *       at most one event per failure they allow, and never with the secret. The id is
 *       recorded only when it exists, since an unknown one may be a secret typed into the
 *       wrong field. Throttled attempts are not audited: they check nothing.</li>
 * </ol>
 */
@ApplicationScoped
public class CredentialVerifier {

    /** What kind of id a secret is presented for; each has its own budgets. */
    public enum Principal {
        CLIENT, DEVICE, ADMIN
    }

    /** The outcome of one check. */
    public sealed interface Verdict {
        /** The secret is right. */
        record Accepted() implements Verdict {
        }

        /** Unknown id or wrong secret; counted against the budgets. */
        record Refused() implements Verdict {
        }

        /** A budget is spent: nothing was checked; try again after {@code retryAfterSeconds}. */
        record Throttled(long retryAfterSeconds) implements Verdict {
        }
    }

    private static final Verdict ACCEPTED = new Verdict.Accepted();
    private static final Verdict REFUSED = new Verdict.Refused();

    private final SecretHasher hasher;
    private final VerifiedSecrets verifiedSecrets;
    private final SourceAddress sourceAddress;
    private final TokenBuckets perId;
    private final TokenBuckets perAddress;
    private final String dummyHash;
    private final AuditLog audit;

    @Inject
    CredentialVerifier(SecretHasher hasher, VerifiedSecrets verifiedSecrets, SourceAddress sourceAddress,
                       TokenServerConfig config, AuditLog audit) {
        this(hasher, verifiedSecrets, sourceAddress, config.authFailures(), audit);
    }

    private CredentialVerifier(SecretHasher hasher, VerifiedSecrets verifiedSecrets, SourceAddress sourceAddress,
                               AuthFailureBudget budget, AuditLog audit) {
        this(hasher, verifiedSecrets, sourceAddress,
                new TokenBuckets(budget.perId(), budget.window(), budget.maxTracked()),
                new TokenBuckets(budget.perAddress(), budget.window(), budget.maxTracked()), audit);
    }

    CredentialVerifier(SecretHasher hasher, VerifiedSecrets verifiedSecrets, SourceAddress sourceAddress,
                       TokenBuckets perId, TokenBuckets perAddress, AuditLog audit) {
        this.audit = audit;
        this.hasher = hasher;
        this.verifiedSecrets = verifiedSecrets;
        this.sourceAddress = sourceAddress;
        this.perId = perId;
        this.perAddress = perAddress;
        // The hash of a secret nobody knows, made with the parameters of every new hash.
        this.dummyHash = hasher.hash(Secrets.token(32));
    }

    /**
     * Checks {@code presented} for {@code id} against {@code storedHash}, the id's Argon2id hash,
     * or null when there is no such id.
     */
    public Verdict verify(Principal principal, String id, String presented, String storedHash) {
        return verify(principal, id, presented, storedHash, null);
    }

    /**
     * As {@link #verify(Principal, String, String, String)}, also accepting {@code alsoAccepted},
     * a second hash of the same id (a replaced secret in its overlap), or null. One presentation
     * is one failure, whichever hashes it was checked against. The caller decides whether the
     * second hash is still valid: once it stops passing it, a remembered match of it is no use.
     */
    public Verdict verify(Principal principal, String id, String presented, String storedHash, String alsoAccepted) {
        boolean known = storedHash != null;
        String hash = known ? storedHash : dummyHash;
        String second = known ? alsoAccepted : null;
        if (known && (verifiedSecrets.remembered(presented, hash)
                || second != null && verifiedSecrets.remembered(presented, second))) {
            return ACCEPTED;
        }
        return underBudget(principal, id, known, () -> (verifiedSecrets.matches(presented, hash)
                || second != null && verifiedSecrets.matches(presented, second)) && known);
    }

    /**
     * Checks {@code presented} against a password configured in clear (the admin's), in constant
     * time and under the same budgets. {@code knownId} is whether the id presented is the one
     * the password belongs to. There is no memory of recent matches here: a configured password
     * may be weak, so while a budget is spent even the right one is answered {@code 429}.
     */
    public Verdict verifyConfigured(Principal principal, String id, String presented, String configured,
                                    boolean knownId) {
        return underBudget(principal, id, knownId, () -> constantTimeEquals(presented, configured) & knownId);
    }

    private Verdict underBudget(Principal principal, String id, boolean knownId, BooleanSupplier check) {
        // Ids are short; an overlong one made up by a caller is kept as a digest.
        String idKey = principal.name() + ":" + (id.length() <= 64 ? id : Secrets.sha256Hex(id));
        Optional<String> addressKey = sourceAddress.key();
        long wait = perId.take(idKey);
        if (wait == 0 && addressKey.isPresent()) {
            wait = perAddress.take(addressKey.get());
            if (wait > 0) {
                perId.giveBack(idKey);
            }
        }
        if (wait > 0) {
            // Tell the longest wait, so a retry at that time is not refused by the other budget.
            long other = addressKey.map(perAddress::waitFor).orElse(0L);
            return new Verdict.Throttled(Math.max(wait, Math.max(other, perId.waitFor(idKey))));
        }
        if (!check.getAsBoolean()) {
            auditFailure(principal, knownId ? id : null, addressKey);
            return REFUSED;
        }
        perId.giveBack(idKey);
        addressKey.ifPresent(perAddress::giveBack);
        return ACCEPTED;
    }

    private void auditFailure(Principal principal, String knownId, Optional<String> addressKey) {
        Subject subject = switch (principal) {
            case CLIENT -> knownId == null ? null : Subject.client(knownId);
            case DEVICE -> knownId == null ? null : Subject.device(UUID.fromString(knownId));
            case ADMIN -> knownId == null ? null : Subject.admin();
        };
        String what = principal.name().toLowerCase(Locale.ROOT) + " authentication failed";
        audit.recordRefusal(AuditType.AUTHENTICATION_FAILED,
                subject != null ? subject : new Subject("unknown", null, null, null, null),
                (subject != null ? what + ": wrong secret" : what + ": unknown id")
                        + addressKey.map(address -> ", from " + address).orElse(""));
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(Secrets.sha256Hex(a).getBytes(StandardCharsets.US_ASCII),
                Secrets.sha256Hex(b).getBytes(StandardCharsets.US_ASCII));
    }
}
