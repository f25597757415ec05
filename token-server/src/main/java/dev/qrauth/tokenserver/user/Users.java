package dev.qrauth.tokenserver.user;

import dev.qrauth.protocol.admin.UserView;
import dev.qrauth.protocol.text.DisplayText;
import dev.qrauth.tokenserver.TokenServerConfig;
import dev.qrauth.tokenserver.audit.AuditLog;
import dev.qrauth.tokenserver.audit.AuditLog.Subject;
import dev.qrauth.tokenserver.audit.AuditType;
import dev.qrauth.tokenserver.error.AdminApiException;
import dev.qrauth.tokenserver.security.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Users and their activation codes. */
@ApplicationScoped
public class Users {

    /**
     * No whitespace or slash (user ids appear in paths), at most 255 characters; and, as the phone
     * shows it, nothing {@link DisplayText} refuses.
     */
    private static final Pattern USER_ID = Pattern.compile("[^\\s/\\p{Cntrl}]{1,255}");

    /** What a refused user id is told. */
    public static final String INVALID_USER_ID = "user_id must be 1 to 255 characters without spaces, '/', "
            + "control or format characters (such as ESC, CR, bidi overrides or zero-width characters)";

    /** An activation code as shown once to whoever asked for it. */
    public record IssuedCode(String userId, String activationCode, Instant expiresAt) {
    }

    private final AuditLog audit;
    private final UserDevices devices;
    private final Duration codeTtl;

    Users(AuditLog audit, UserDevices devices, TokenServerConfig config) {
        this.audit = audit;
        this.devices = devices;
        this.codeTtl = config.activationCode().ttl();
    }

    public static boolean isValidUserId(String userId) {
        return userId != null && userId.length() <= 255 && USER_ID.matcher(userId).matches()
                && DisplayText.isSingleLine(userId);
    }

    /** Creates a user and its first activation code. */
    @Transactional
    public IssuedCode create(String userId) {
        if (!isValidUserId(userId)) {
            throw AdminApiException.invalid(INVALID_USER_ID);
        }
        // One statement, so two concurrent creations of the same id give one 201 and one 409,
        // never a constraint violation.
        int inserted = AppUser.getEntityManager().createNativeQuery(
                        "INSERT INTO app_user (user_id, created_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                .setParameter(1, userId).setParameter(2, Instant.now()).executeUpdate();
        if (inserted == 0) {
            throw AdminApiException.conflict("The user exists; ask for a new activation code instead");
        }
        audit.record(AuditType.USER_CREATED, Subject.admin().user(userId), null);
        return newCode(userId);
    }

    /** A fresh activation code for an existing user; earlier unused codes stay valid until they expire. */
    @Transactional
    public IssuedCode issueCode(String userId) {
        if (lockForShare(userId) == null) {
            throw AdminApiException.notFound("No such user");
        }
        return newCode(userId);
    }

    /**
     * The user, read with a share lock held to the end of the transaction (null: no such user),
     * so a deletion running at the same time waits for the rows this transaction adds for the
     * user and removes them with it, instead of this transaction failing on a foreign key.
     */
    public static AppUser lockForShare(String userId) {
        return AppUser.findById(userId, LockModeType.PESSIMISTIC_READ);
    }

    private IssuedCode newCode(String userId) {
        String code = Secrets.activationCode();
        ActivationCode row = new ActivationCode();
        row.codeHash = Secrets.sha256Hex(code);
        row.userId = userId;
        row.createdAt = Instant.now();
        row.expiresAt = row.createdAt.plus(codeTtl);
        row.persist();
        audit.record(AuditType.ACTIVATION_CODE_ISSUED, Subject.admin().user(userId), null);
        return new IssuedCode(userId, code, row.expiresAt);
    }

    /** The user and the devices it is registered on. */
    @Transactional
    public UserView view(String userId) {
        AppUser user = AppUser.findById(userId);
        if (user == null) {
            throw AdminApiException.notFound("No such user");
        }
        return new UserView(user.userId, user.createdAt, devices.devicesOf(userId));
    }

    /** One user in a listing. */
    public record UserSummary(String userId, Instant createdAt, long devices) {
    }

    /** One page of users by id, and the id after which the next page starts (null: no more). */
    public record UserPage(List<UserSummary> users, String nextAfter) {
    }

    /**
     * Users in order of id, after {@code after} (null: from the first), whose id contains
     * {@code search} (null: all). Paging by the last id seen, not by offset, so a page costs the
     * same however deep it is and users created while paging never shift the rest.
     */
    @Transactional
    public UserPage list(String search, String after, int limit) {
        StringBuilder query = new StringBuilder("1 = 1");
        Map<String, Object> parameters = new HashMap<>();
        if (after != null) {
            query.append(" and userId > :after");
            parameters.put("after", after);
        }
        if (search != null) {
            query.append(" and locate(:search, userId) > 0");
            parameters.put("search", search);
        }
        query.append(" order by userId");
        List<AppUser> rows = AppUser.<AppUser>find(query.toString(), parameters).range(0, limit).list();
        boolean more = rows.size() > limit;
        List<AppUser> page = more ? rows.subList(0, limit) : rows;
        Map<String, Long> counts = devices.counts(page.stream().map(user -> user.userId).toList());
        return new UserPage(page.stream().map(user -> new UserSummary(user.userId, user.createdAt,
                counts.getOrDefault(user.userId, 0L))).toList(), more ? page.get(limit - 1).userId : null);
    }

    /**
     * Deletes the user with its registrations (so its enrollments and access tokens), unused
     * activation codes and the record of which clients have seen it. Its audit events stay.
     * Its open transactions are left to expire: none can be answered any more, since answering
     * needs a registration, and the portal gets the usual EXPIRED result and callback.
     */
    @Transactional
    public void delete(String userId) {
        AppUser user = AppUser.findById(userId);
        if (user == null) {
            throw AdminApiException.notFound("No such user");
        }
        long registrations = devices.count(userId);
        // The database cascades to registrations, access tokens, activation codes and client_user.
        AppUser.delete("userId", userId);
        audit.record(AuditType.USER_DELETED, Subject.admin().user(userId), "registrations: " + registrations);
    }

    /** Whether there is such a user. */
    @Transactional
    public boolean exists(String userId) {
        return AppUser.findById(userId) != null;
    }
}
