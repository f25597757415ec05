package dev.qrauth.tokenserver.user;

import dev.qrauth.protocol.text.DisplayText;
import dev.qrauth.tokenserver.audit.AuditLog;
import dev.qrauth.tokenserver.audit.AuditLog.Subject;
import dev.qrauth.tokenserver.audit.AuditType;
import dev.qrauth.tokenserver.device.Registration;
import dev.qrauth.tokenserver.error.AdminApiException;
import dev.qrauth.tokenserver.security.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

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
    private final Duration codeTtl;

    Users(AuditLog audit, @ConfigProperty(name = "tokenserver.activation-code.ttl") Duration codeTtl) {
        this.audit = audit;
        this.codeTtl = codeTtl;
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
        if (AppUser.findById(userId) != null) {
            throw AdminApiException.conflict("The user exists; ask for a new activation code instead");
        }
        AppUser user = new AppUser();
        user.userId = userId;
        user.createdAt = Instant.now();
        user.persist();
        audit.record(AuditType.USER_CREATED, Subject.admin().user(userId), null);
        return issueCode(user);
    }

    /** A fresh activation code for an existing user; earlier unused codes stay valid until they expire. */
    @Transactional
    public IssuedCode issueCode(String userId) {
        AppUser user = AppUser.findById(userId);
        if (user == null) {
            throw AdminApiException.notFound("No such user");
        }
        return issueCode(user);
    }

    private IssuedCode issueCode(AppUser user) {
        String code = Secrets.activationCode();
        ActivationCode row = new ActivationCode();
        row.codeHash = Secrets.sha256Hex(code);
        row.userId = user.userId;
        row.createdAt = Instant.now();
        row.expiresAt = row.createdAt.plus(codeTtl);
        row.persist();
        audit.record(AuditType.ACTIVATION_CODE_ISSUED, Subject.admin().user(user.userId), null);
        return new IssuedCode(user.userId, code, row.expiresAt);
    }

    /** The user and the devices it is registered on. */
    @Transactional
    public UserView view(String userId) {
        AppUser user = AppUser.findById(userId);
        if (user == null) {
            throw AdminApiException.notFound("No such user");
        }
        List<Registration> registrations = Registration.list("userId = ?1 order by createdAt", userId);
        return UserView.of(user, registrations);
    }
}
