package dev.qrauth.tokenserver.authtype;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.protocol.text.DisplayText;
import dev.qrauth.tokenserver.audit.AuditLog;
import dev.qrauth.tokenserver.audit.AuditLog.Subject;
import dev.qrauth.tokenserver.audit.AuditType;
import dev.qrauth.tokenserver.error.AdminApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/** The configured mobile-auth types. */
@ApplicationScoped
public class MobileAuthTypes {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    public static final int MIN_TTL_SECONDS = 10;
    public static final int MAX_TTL_SECONDS = 3600;

    /** A type as the admin API takes and shows it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TypeView(
            @JsonProperty("name") String name,
            @JsonProperty("method") String method,
            @JsonProperty("time_to_live_seconds") Integer timeToLiveSeconds,
            @JsonProperty("default_message") String defaultMessage,
            @JsonProperty("number_matching") Boolean numberMatching,
            @JsonProperty("max_message_length") Integer maxMessageLength,
            @JsonProperty("proximity") String proximity,
            @JsonProperty("reverse_code") Boolean reverseCode) {

        public TypeView(String name, String method, Integer timeToLiveSeconds, String defaultMessage,
                        Boolean numberMatching, Integer maxMessageLength) {
            this(name, method, timeToLiveSeconds, defaultMessage, numberMatching, maxMessageLength, null, null);
        }

        static TypeView of(MobileAuthType type) {
            return new TypeView(type.name, type.method, type.timeToLiveSeconds, type.defaultMessage,
                    type.numberMatching, type.maxMessageLength, type.proximity, type.reverseCode);
        }
    }

    private final AuditLog audit;

    MobileAuthTypes(AuditLog audit) {
        this.audit = audit;
    }

    @Transactional
    public TypeView create(TypeView request) {
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            throw AdminApiException.invalid("name must be 1 to 64 lowercase letters, digits, '_' or '-'");
        }
        if (!MobileAuthType.METHOD_OTP.equals(request.method())) {
            throw AdminApiException.invalid("method must be OTP");
        }
        Integer ttl = request.timeToLiveSeconds();
        if (ttl == null || ttl < MIN_TTL_SECONDS || ttl > MAX_TTL_SECONDS) {
            throw AdminApiException.invalid("time_to_live_seconds must be " + MIN_TTL_SECONDS + " to " + MAX_TTL_SECONDS);
        }
        int maxLength = request.maxMessageLength() == null
                ? MobileAuthType.DEFAULT_MAX_MESSAGE_LENGTH : request.maxMessageLength();
        if (maxLength < 1 || maxLength > MobileAuthMessage.MAX_MESSAGE_LENGTH) {
            throw AdminApiException.invalid("max_message_length must be 1 to " + MobileAuthMessage.MAX_MESSAGE_LENGTH);
        }
        if (request.defaultMessage() != null
                && (request.defaultMessage().isBlank() || request.defaultMessage().length() > maxLength)) {
            throw AdminApiException.invalid("default_message must be 1 to " + maxLength + " characters");
        }
        if (request.defaultMessage() != null && !DisplayText.isSingleLine(request.defaultMessage())) {
            throw AdminApiException.invalid("default_message must not contain control or format characters "
                    + "(such as ESC, CR, newline, bidi overrides or zero-width characters)");
        }
        // Off unless asked: a type created before these policies existed keeps working as it did.
        ProximityPolicy proximity = request.proximity() == null ? ProximityPolicy.OFF
                : ProximityPolicy.fromWire(request.proximity());
        if (proximity == null) {
            throw AdminApiException.invalid("proximity must be off, warn or require");
        }
        if (MobileAuthType.findById(request.name()) != null) {
            throw AdminApiException.conflict("A type with that name exists");
        }
        MobileAuthType type = new MobileAuthType();
        type.name = request.name();
        type.method = MobileAuthType.METHOD_OTP;
        type.timeToLiveSeconds = ttl;
        type.defaultMessage = request.defaultMessage();
        type.numberMatching = Boolean.TRUE.equals(request.numberMatching());
        type.maxMessageLength = maxLength;
        type.proximity = proximity.wireName;
        type.reverseCode = Boolean.TRUE.equals(request.reverseCode());
        type.createdAt = Instant.now();
        type.persist();
        audit.record(AuditType.MOBILE_AUTH_TYPE_CREATED, Subject.admin(), type.name);
        return TypeView.of(type);
    }

    @Transactional
    public List<TypeView> list() {
        return MobileAuthType.<MobileAuthType>listAll(io.quarkus.panache.common.Sort.by("name"))
                .stream().map(TypeView::of).toList();
    }

    @Transactional
    public void delete(String name) {
        if (!MobileAuthType.deleteById(name)) {
            throw AdminApiException.notFound("No such type");
        }
        audit.record(AuditType.MOBILE_AUTH_TYPE_DELETED, Subject.admin(), name);
    }
}
