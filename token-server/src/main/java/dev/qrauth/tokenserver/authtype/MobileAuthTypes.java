package dev.qrauth.tokenserver.authtype;

import dev.qrauth.protocol.admin.MobileAuthTypeView;
import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.protocol.text.DisplayText;
import dev.qrauth.tokenserver.audit.AuditLog;
import dev.qrauth.tokenserver.audit.AuditLog.Subject;
import dev.qrauth.tokenserver.audit.AuditType;
import dev.qrauth.tokenserver.error.AdminApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The configured mobile-auth types. */
@ApplicationScoped
public class MobileAuthTypes {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    public static final int MIN_TTL_SECONDS = 10;
    public static final int MAX_TTL_SECONDS = 3600;
    /** The bounds of {@code rotation_seconds}; it must also be less than the time to live. */
    public static final int MIN_ROTATION_SECONDS = 2;
    public static final int MAX_ROTATION_SECONDS = 300;

    /** The bounds of {@code required_approvals}; 1 is one phone, as before. */
    public static final int MAX_REQUIRED_APPROVALS = 10;
    /** At most this many users in an approver group, of a type or of an initiation. */
    public static final int MAX_APPROVERS = 20;

    /** The language tags an initiation's {@code language_code} and {@code default_messages} keys may hold. */
    public static final Pattern LANGUAGE_CODE = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,3}");
    /** At most this many languages per type. */
    public static final int MAX_LANGUAGES = 50;

    private final AuditLog audit;

    MobileAuthTypes(AuditLog audit) {
        this.audit = audit;
    }

    @Transactional
    public MobileAuthTypeView create(MobileAuthTypeView request) {
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            throw AdminApiException.invalid("name must be 1 to 64 lowercase letters, digits, '_' or '-'");
        }
        if (!MobileAuthType.METHOD_OTP.equals(request.method())) {
            throw AdminApiException.invalid("method must be OTP");
        }
        if (request.timeToLiveSeconds() == null) {
            throw AdminApiException.invalid("time_to_live_seconds must be " + MIN_TTL_SECONDS + " to " + MAX_TTL_SECONDS);
        }
        MobileAuthType type = new MobileAuthType();
        type.name = request.name();
        type.method = MobileAuthType.METHOD_OTP;
        type.maxMessageLength = MobileAuthType.DEFAULT_MAX_MESSAGE_LENGTH;
        // Off unless asked: a type created before these policies existed keeps working as it did.
        type.proximity = ProximityPolicy.OFF.wireName;
        apply(request, type);
        if (MobileAuthType.findById(request.name()) != null) {
            throw AdminApiException.conflict("A type with that name exists");
        }
        type.createdAt = Instant.now();
        type.persist();
        audit.record(AuditType.MOBILE_AUTH_TYPE_CREATED, Subject.admin(), type.name);
        return viewOf(type);
    }

    /**
     * Changes the members {@code request} holds and leaves the others. Open transactions keep
     * what they were started with (their message, expiry and policies were copied at
     * initiation); only new ones see the change.
     */
    @Transactional
    public MobileAuthTypeView change(String name, MobileAuthTypeView request) {
        MobileAuthType type = MobileAuthType.findById(name, LockModeType.PESSIMISTIC_WRITE);
        if (type == null) {
            throw AdminApiException.notFound("No such type");
        }
        if (request.name() != null && !request.name().equals(name)) {
            throw AdminApiException.invalid("name cannot be changed: create a new type instead");
        }
        if (request.method() != null && !MobileAuthType.METHOD_OTP.equals(request.method())) {
            throw AdminApiException.invalid("method must be OTP");
        }
        List<String> changed = apply(request, type);
        if (changed.isEmpty()) {
            throw AdminApiException.invalid("Nothing to change: give at least one of time_to_live_seconds, "
                    + "default_message, default_messages, number_matching, max_message_length, proximity, reverse_code, duress, rotation_seconds, "
                    + "required_approvals, approvers");
        }
        audit.record(AuditType.MOBILE_AUTH_TYPE_CHANGED, Subject.admin(), type.name + ": " + String.join(", ", changed));
        return viewOf(type);
    }

    /**
     * Checks the members {@code request} holds against the type they would make, then copies
     * them onto {@code type}; nothing is copied when one is refused. Returns the names of the
     * members given.
     */
    private static List<String> apply(MobileAuthTypeView request, MobileAuthType type) {
        List<String> given = new ArrayList<>();
        Integer ttl = request.timeToLiveSeconds();
        if (ttl != null) {
            given.add("time_to_live_seconds");
            if (ttl < MIN_TTL_SECONDS || ttl > MAX_TTL_SECONDS) {
                throw AdminApiException.invalid("time_to_live_seconds must be " + MIN_TTL_SECONDS + " to " + MAX_TTL_SECONDS);
            }
        }
        int maxLength = type.maxMessageLength;
        if (request.maxMessageLength() != null) {
            given.add("max_message_length");
            maxLength = request.maxMessageLength();
            if (maxLength < 1 || maxLength > MobileAuthMessage.MAX_MESSAGE_LENGTH) {
                throw AdminApiException.invalid("max_message_length must be 1 to " + MobileAuthMessage.MAX_MESSAGE_LENGTH);
            }
        }
        String defaultMessage = type.defaultMessage;
        if (request.defaultMessage() != null) {
            given.add("default_message");
            defaultMessage = request.defaultMessage();
        }
        checkMessage("default_message", defaultMessage, maxLength);
        Map<String, String> defaultMessages = type.defaultMessages;
        if (request.defaultMessages() != null) {
            given.add("default_messages");
            defaultMessages = languages(request.defaultMessages());
        }
        for (Map.Entry<String, String> entry : defaultMessages.entrySet()) {
            checkMessage("default_messages." + entry.getKey(), entry.getValue(), maxLength);
        }
        ProximityPolicy proximity = ProximityPolicy.fromWire(type.proximity);
        if (request.proximity() != null) {
            given.add("proximity");
            proximity = ProximityPolicy.fromWire(request.proximity());
            if (proximity == null) {
                throw AdminApiException.invalid("proximity must be off, warn or require");
            }
        }
        DuressPolicy duress = DuressPolicy.fromWire(type.duress);
        if (request.duress() != null) {
            given.add("duress");
            duress = DuressPolicy.fromWire(request.duress());
            if (duress == null) {
                throw AdminApiException.invalid("duress must be flag or refuse");
            }
        }
        Integer rotation = type.rotationSeconds;
        if (request.rotationSeconds() != null) {
            given.add("rotation_seconds");
            rotation = request.rotationSeconds();
            if (rotation < MIN_ROTATION_SECONDS || rotation > MAX_ROTATION_SECONDS) {
                throw AdminApiException.invalid("rotation_seconds must be " + MIN_ROTATION_SECONDS + " to "
                        + MAX_ROTATION_SECONDS);
            }
        }
        // Checked against the lifetime the type will have, whichever of the two changes.
        if (rotation != null && rotation >= (ttl != null ? ttl : type.timeToLiveSeconds)) {
            throw AdminApiException.invalid("rotation_seconds must be less than time_to_live_seconds");
        }
        boolean numberMatching = type.numberMatching;
        if (request.numberMatching() != null) {
            given.add("number_matching");
            numberMatching = request.numberMatching();
        }
        boolean reverseCode = type.reverseCode;
        if (request.reverseCode() != null) {
            given.add("reverse_code");
            reverseCode = request.reverseCode();
        }
        int requiredApprovals = type.requiredApprovals;
        if (request.requiredApprovals() != null) {
            given.add("required_approvals");
            requiredApprovals = request.requiredApprovals();
            if (requiredApprovals < 1 || requiredApprovals > MAX_REQUIRED_APPROVALS) {
                throw AdminApiException.invalid("required_approvals must be 1 to " + MAX_REQUIRED_APPROVALS);
            }
        }
        List<String> approvers = List.of(type.approvers);
        if (request.approvers() != null) {
            given.add("approvers");
            try {
                approvers = ApproverGroup.check("approvers", request.approvers());
            } catch (IllegalArgumentException e) {
                throw AdminApiException.invalid(e.getMessage());
            }
        }
        checkFourEyes(requiredApprovals, approvers, numberMatching, proximity, reverseCode, rotation);
        type.numberMatching = numberMatching;
        type.reverseCode = reverseCode;
        type.requiredApprovals = requiredApprovals;
        type.approvers = approvers.toArray(String[]::new);
        if (ttl != null) {
            type.timeToLiveSeconds = ttl;
        }
        type.maxMessageLength = maxLength;
        type.defaultMessage = defaultMessage;
        type.defaultMessages = defaultMessages;
        type.proximity = proximity.wireName;
        type.duress = duress.wireName;
        type.rotationSeconds = rotation;
        return given;
    }

    /**
     * The options four-eyes approval cannot be combined with ({@code docs/PROTOCOL.md}, "Four-eyes
     * approval"): each is about one phone and one browser (the number the browser shows, the
     * browser's network, the code typed into the browser, a code that changes until the one scan).
     */
    private static void checkFourEyes(int requiredApprovals, List<String> approvers, boolean numberMatching,
                                      ProximityPolicy proximity, boolean reverseCode, Integer rotation) {
        if (requiredApprovals == 1) {
            if (!approvers.isEmpty()) {
                throw AdminApiException.invalid("approvers is only for required_approvals of 2 or more: "
                        + "give approvers [] with required_approvals 1");
            }
            return;
        }
        if (!approvers.isEmpty() && approvers.size() < requiredApprovals) {
            throw AdminApiException.invalid("approvers must name at least required_approvals (" + requiredApprovals
                    + ") users");
        }
        if (numberMatching || reverseCode || proximity != ProximityPolicy.OFF || rotation != null) {
            throw AdminApiException.invalid("required_approvals of 2 or more cannot be combined with number_matching, "
                    + "reverse_code, proximity or rotation_seconds");
        }
    }

    /** The per-language messages keyed by lower-case tag; refuses a key that is not a language tag. */
    private static Map<String, String> languages(Map<String, String> requested) {
        if (requested.size() > MAX_LANGUAGES) {
            throw AdminApiException.invalid("default_messages may hold at most " + MAX_LANGUAGES + " languages");
        }
        Map<String, String> byTag = new TreeMap<>();
        for (Map.Entry<String, String> entry : requested.entrySet()) {
            if (!LANGUAGE_CODE.matcher(entry.getKey()).matches()) {
                throw AdminApiException.invalid("default_messages keys must be language tags such as nl or en-GB");
            }
            if (byTag.put(entry.getKey().toLowerCase(Locale.ROOT), entry.getValue()) != null) {
                throw AdminApiException.invalid("default_messages names a language twice: " + entry.getKey());
            }
        }
        return byTag;
    }

    private static void checkMessage(String member, String message, int maxLength) {
        if (message == null) {
            return;
        }
        if (message.isBlank() || message.length() > maxLength) {
            throw AdminApiException.invalid(member + " must be 1 to " + maxLength + " characters");
        }
        if (!DisplayText.isSingleLine(message)) {
            throw AdminApiException.invalid(member + " must not contain control or format characters "
                    + "(such as ESC, CR, newline, bidi overrides or zero-width characters)");
        }
    }

    /** The type as the admin API shows it. */
    private static MobileAuthTypeView viewOf(MobileAuthType type) {
        return new MobileAuthTypeView(type.name, type.method, type.timeToLiveSeconds, type.defaultMessage,
                type.numberMatching, type.maxMessageLength, type.proximity, type.reverseCode,
                new TreeMap<>(type.defaultMessages), type.duress, type.rotationSeconds,
                type.requiredApprovals, List.of(type.approvers));
    }

    @Transactional
    public List<MobileAuthTypeView> list() {
        return MobileAuthType.<MobileAuthType>listAll(io.quarkus.panache.common.Sort.by("name"))
                .stream().map(MobileAuthTypes::viewOf).toList();
    }

    @Transactional
    public void delete(String name) {
        if (MobileAuthType.delete("name = ?1", name) == 0) {
            throw AdminApiException.notFound("No such type");
        }
        audit.record(AuditType.MOBILE_AUTH_TYPE_DELETED, Subject.admin(), name);
    }
}
