package dev.qrauth.tokenserver.device;

import dev.qrauth.protocol.error.DeviceError;
import dev.qrauth.protocol.error.DeviceErrorCode;
import dev.qrauth.protocol.http.BasicCredentials;
import dev.qrauth.tokenserver.TokenServerConfig;
import dev.qrauth.tokenserver.WireValues;
import dev.qrauth.tokenserver.audit.AuditLog;
import dev.qrauth.tokenserver.audit.AuditLog.Subject;
import dev.qrauth.tokenserver.audit.AuditType;
import dev.qrauth.tokenserver.error.DeviceApiException;
import dev.qrauth.tokenserver.ratelimit.TokenBuckets;
import dev.qrauth.tokenserver.security.CredentialVerifier;
import dev.qrauth.tokenserver.security.CredentialVerifier.Principal;
import dev.qrauth.tokenserver.security.CredentialVerifier.Verdict;
import dev.qrauth.tokenserver.security.SecretHasher;
import dev.qrauth.tokenserver.security.Secrets;
import dev.qrauth.tokenserver.security.SourceAddress;
import dev.qrauth.tokenserver.user.ActivationCode;
import dev.qrauth.tokenserver.user.Users;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Devices, the users registered on them, PIN login and access tokens: the device API of
 * {@code docs/PROTOCOL.md} up to enrollment.
 */
@ApplicationScoped
public class Devices {

    /** What a device gets once, at registration. */
    public record DeviceCredentials(UUID deviceId, String deviceSecret) {
    }

    /** The outcome of a PIN login; a refusal still commits the failure count. */
    public sealed interface Login {
        record Success(String accessToken, Duration expiresIn) implements Login {
        }

        record Refused(DeviceError error) implements Login {
        }
    }

    private final EntityManager entities;
    private final SecretHasher hasher;
    private final CredentialVerifier verifier;
    private final SourceAddress sourceAddress;
    private final TokenBuckets registrationsPerAddress;
    private final AuditLog audit;
    private final int maxFailedPins;
    private final Duration tokenTtl;

    Devices(EntityManager entities, SecretHasher hasher, CredentialVerifier verifier, SourceAddress sourceAddress,
            AuditLog audit, TokenServerConfig config) {
        this.entities = entities;
        this.hasher = hasher;
        this.verifier = verifier;
        this.sourceAddress = sourceAddress;
        this.registrationsPerAddress = new TokenBuckets(config.deviceRegistration().perAddress(),
                config.deviceRegistration().window(), config.authFailures().maxTracked());
        this.audit = audit;
        this.maxFailedPins = config.pin().maxFailedAttempts();
        this.tokenTtl = config.accessToken().ttl();
    }

    /**
     * Registration needs no credentials, yet costs an Argon2 hash and a row: one at a time, so a
     * flood of registrations can use one core at most, and a budget per source address, so one
     * host cannot fill the table (devices that never get a user are purged by
     * {@code RetentionPurge}).
     */
    private final java.util.concurrent.Semaphore registrations = new java.util.concurrent.Semaphore(1, true);

    public DeviceCredentials registerDevice(String name) {
        long wait = sourceAddress.key().map(registrationsPerAddress::take).orElse(0L);
        if (wait > 0) {
            throw new DeviceApiException(DeviceError.of(DeviceErrorCode.RATE_LIMITED,
                    "Too many device registrations from this address; try again later"), wait);
        }
        boolean admitted;
        try {
            admitted = registrations.tryAcquire(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            throw new DeviceApiException(DeviceError.of(DeviceErrorCode.RATE_LIMITED,
                    "Too many device registrations at once; try again shortly"), 1);
        }
        try {
            return QuarkusTransaction.requiringNew().call(() -> persistDevice(name));
        } finally {
            registrations.release();
        }
    }

    private DeviceCredentials persistDevice(String name) {
        Device device = new Device();
        device.deviceId = UUID.randomUUID();
        device.name = name;
        String secret = Secrets.token(32);
        device.secretHash = hasher.hash(secret);
        device.createdAt = Instant.now();
        device.persist();
        audit.record(AuditType.DEVICE_REGISTERED, Subject.device(device.deviceId), null);
        return new DeviceCredentials(device.deviceId, secret);
    }

    /**
     * The device whose Basic credentials {@code authorization} carries.
     *
     * @throws DeviceApiException DEVICE_DEREGISTERED for absent, unknown or wrong credentials
     */
    @Transactional
    Device authenticate(String authorization) {
        Optional<BasicCredentials> credentials = BasicCredentials.parse(authorization);
        UUID deviceId = credentials.flatMap(c -> WireValues.canonicalUuid(c.username())).orElse(null);
        if (deviceId == null) {
            throw deviceNotRegistered();
        }
        Device device = Device.findById(deviceId);
        checkSecret(deviceId, credentials.get().password(), device == null ? null : device.secretHash);
        return device;
    }

    /** DEVICE_DEREGISTERED for an unknown device or a wrong secret, RATE_LIMITED past the failure budget. */
    private void checkSecret(UUID deviceId, String presented, String storedHash) {
        Verdict verdict = verifier.verify(Principal.DEVICE, deviceId.toString(), presented, storedHash);
        if (verdict instanceof Verdict.Throttled throttled) {
            throw new DeviceApiException(DeviceError.of(DeviceErrorCode.RATE_LIMITED,
                    "Too many failed device authentications; try again later"), throttled.retryAfterSeconds());
        }
        if (!(verdict instanceof Verdict.Accepted)) {
            throw deviceNotRegistered();
        }
    }

    /** Removes the device and everything registered on it; false when there was no such device. */
    @Transactional
    public boolean deregisterDevice(UUID deviceId, Subject actor) {
        // A bulk delete, not a load-then-remove: two deregistrations of one device at once (the
        // phone and an administrator, or a retried request) must not fail the second with a
        // stale-row error; the one that finds no row reports false.
        boolean deleted = Device.delete("deviceId = ?1", deviceId) > 0;
        if (deleted) {
            audit.record(AuditType.DEVICE_DEREGISTERED, actor.onDevice(deviceId), null);
        }
        return deleted;
    }

    /**
     * Registers {@code userId} on {@code device} with a single-use activation code, a PIN and
     * optionally a duress PIN (null for none); a registration of the same user on the same device
     * is replaced.
     */
    @Transactional
    public void registerUser(Device device, String userId, String activationCode, String pin, String duressPin) {
        String pinProblem = Pins.problem(pin);
        if (pinProblem != null) {
            throw new DeviceApiException(DeviceErrorCode.PIN_NOT_ALLOWED, pinProblem);
        }
        if (duressPin != null) {
            String duressProblem = Pins.problem(duressPin);
            if (duressProblem != null) {
                throw new DeviceApiException(DeviceErrorCode.PIN_NOT_ALLOWED, duressProblem.replace("The PIN",
                        "The duress PIN"));
            }
            if (duressPin.equals(pin)) {
                throw duressPinEqualsPin();
            }
        }
        // The user first, share-locked: a deletion of the user at the same time then either ran
        // before (no user) or waits for this registration and removes it with the user.
        boolean userExists = Users.lockForShare(userId) != null;
        long redeemed = ActivationCode.delete("codeHash = ?1 and userId = ?2 and expiresAt > ?3",
                Secrets.sha256Hex(activationCode), userId, Instant.now());
        if (redeemed != 1 || !userExists) {
            // Never the code; the user id only when there is such a user (it is the device's input).
            Subject subject = Subject.device(device.deviceId);
            audit.recordRefusal(AuditType.ACTIVATION_CODE_REFUSED, userExists ? subject.user(userId) : subject,
                    userExists ? "the code is unknown, used, expired or another user's" : "no such user");
            throw new DeviceApiException(DeviceErrorCode.INVALID_ACTIVATION_CODE,
                    "The activation code is unknown, used or expired");
        }
        // Marks the device as having had a user, so the purge of unused devices leaves it alone;
        // the row lock also orders this after a purge already under way, which leaves no row.
        int marked = entities.createNativeQuery("UPDATE device SET first_user_registered_at = "
                        + "COALESCE(first_user_registered_at, ?1) WHERE device_id = ?2")
                .setParameter(1, Instant.now()).setParameter(2, device.deviceId).executeUpdate();
        if (marked == 0) {
            throw deviceNotRegistered();
        }
        Registration.delete("deviceId = ?1 and userId = ?2", device.deviceId, userId);
        Registration.flush();
        Registration registration = new Registration();
        registration.deviceId = device.deviceId;
        registration.userId = userId;
        registration.pinHash = hasher.hashPin(pin);
        registration.duressPinHash = duressPin == null ? null : hasher.hashPin(duressPin);
        registration.createdAt = Instant.now();
        registration.persist();
        Subject subject = Subject.device(device.deviceId).user(userId);
        audit.record(AuditType.USER_REGISTERED, subject, null);
        if (duressPin != null) {
            audit.record(AuditType.DURESS_PIN_SET, subject, "at registration");
        }
    }

    /**
     * Sets or replaces the duress PIN of the session's user. Under a duress session nothing
     * changes, though the caller answers as if it had, so that someone holding the phone cannot
     * remove or discover the duress PIN; the attempt is audited. There the PIN the holder knows is
     * the duress PIN, so that is what a new duress PIN must differ from.
     *
     * @throws DeviceApiException PIN_NOT_ALLOWED for a duress PIN that breaks the PIN rules or equals the PIN
     */
    @Transactional
    public void setDuressPin(Device device, String userId, String accessToken, String duressPin) {
        SessionToken session = sessionToken(device, userId, accessToken);
        Registration registration = session.registration();
        String problem = Pins.problem(duressPin);
        if (problem != null) {
            throw new DeviceApiException(DeviceErrorCode.PIN_NOT_ALLOWED, problem.replace("The PIN", "The duress PIN"));
        }
        boolean duress = session.token().duress;
        String knownPinHash = duress ? registration.duressPinHash : registration.pinHash;
        if (hasher.verifyPin(duressPin, knownPinHash)) {
            throw duressPinEqualsPin();
        }
        Subject subject = Subject.device(device.deviceId).user(userId);
        if (duress) {
            audit.record(AuditType.DURESS_PIN_CHANGE_IGNORED, subject, "set, under duress");
            return;
        }
        registration.duressPinHash = hasher.hashPin(duressPin);
        audit.record(AuditType.DURESS_PIN_SET, subject, null);
    }

    /** Removes the duress PIN of the session's user, if any; under a duress session as {@link #setDuressPin}. */
    @Transactional
    public void removeDuressPin(Device device, String userId, String accessToken) {
        SessionToken session = sessionToken(device, userId, accessToken);
        Registration registration = session.registration();
        Subject subject = Subject.device(device.deviceId).user(userId);
        if (session.token().duress) {
            audit.record(AuditType.DURESS_PIN_CHANGE_IGNORED, subject, "remove, under duress");
            return;
        }
        if (registration.duressPinHash != null) {
            registration.duressPinHash = null;
            audit.record(AuditType.DURESS_PIN_REMOVED, subject, null);
        }
    }

    private static DeviceApiException duressPinEqualsPin() {
        return new DeviceApiException(DeviceErrorCode.PIN_NOT_ALLOWED, "The duress PIN must differ from the PIN");
    }

    /**
     * Checks the PIN under a row lock, so concurrent attempts are counted one after another and
     * never exceed the limit; the last allowed failure removes the user from the device. The
     * duress PIN logs in too, into a session under duress; the answer does not say which PIN it
     * was. A user with a duress PIN costs two Argon2id verifications per login, always both, so
     * that the time taken does not tell the two PINs apart either.
     */
    @Transactional
    public Login login(Device device, String userId, String pin) {
        Registration registration = Registration.<Registration>find("deviceId = ?1 and userId = ?2",
                device.deviceId, userId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
        Subject subject = Subject.device(device.deviceId).user(userId);
        if (registration == null) {
            return new Login.Refused(userNotRegistered().body());
        }
        boolean isPin = pin != null && hasher.verifyPin(pin, registration.pinHash);
        boolean isDuressPin = pin != null && registration.duressPinHash != null
                && hasher.verifyPin(pin, registration.duressPinHash);
        if (!isPin && !isDuressPin) {
            registration.failedPinAttempts++;
            int remaining = maxFailedPins - registration.failedPinAttempts;
            audit.record(AuditType.PIN_REJECTED, subject, "remaining attempts: " + Math.max(remaining, 0));
            if (remaining <= 0) {
                registration.delete();
                audit.record(AuditType.PIN_LOCKOUT, subject, "too many wrong PINs");
                audit.record(AuditType.USER_DEREGISTERED, subject, "too many wrong PINs");
                return new Login.Refused(DeviceError.of(DeviceErrorCode.USER_DEREGISTERED,
                        "Too many wrong PINs: the user was removed from this device"));
            }
            return new Login.Refused(DeviceError.invalidPin(remaining));
        }
        registration.failedPinAttempts = 0;
        String token = Secrets.token(32);
        AccessToken accessToken = new AccessToken();
        accessToken.tokenHash = Secrets.sha256Hex(token);
        accessToken.registrationId = registration.id;
        accessToken.createdAt = Instant.now();
        accessToken.expiresAt = accessToken.createdAt.plus(tokenTtl);
        accessToken.duress = isDuressPin && !isPin;
        accessToken.persist();
        audit.record(AuditType.PIN_ACCEPTED, subject, accessToken.duress ? "duress PIN" : null);
        return new Login.Success(token, tokenTtl);
    }

    /**
     * The registration of {@code userId} on {@code device} whose session {@code accessToken} is.
     *
     * @throws DeviceApiException USER_DEREGISTERED when the user is not registered on the
     *                            device; USER_NOT_AUTHENTICATED when the token is missing,
     *                            unknown, expired or someone else's
     */
    @Transactional
    public Registration session(Device device, String userId, String accessToken) {
        return sessionToken(device, userId, accessToken).registration();
    }

    /** A session's registration with its access token, which says whether the session is under duress. */
    private record SessionToken(Registration registration, AccessToken token) {
    }

    private SessionToken sessionToken(Device device, String userId, String accessToken) {
        Registration registration = registration(device.deviceId, userId);
        AccessToken token = accessToken == null ? null : AccessToken.findById(Secrets.sha256Hex(accessToken));
        if (token == null || !token.registrationId.equals(registration.id) || !token.expiresAt.isAfter(Instant.now())) {
            throw notAuthenticated();
        }
        return new SessionToken(registration, token);
    }

    /**
     * Authenticates a fetch or an answer: the device's Basic credentials, then the user's
     * registration on it, then the access token, with the same refusals in the same order as
     * {@link #authenticate} and {@link #session}, but read in one statement instead of three
     * entity loads ({@code docs/PERFORMANCE.md}, item 8). The device's fetch budget comes with it.
     *
     * @throws DeviceApiException DEVICE_DEREGISTERED, USER_DEREGISTERED or USER_NOT_AUTHENTICATED
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public MobileAuthSession mobileAuthSession(String authorization, String accessToken, String userId) {
        Optional<BasicCredentials> credentials = BasicCredentials.parse(authorization);
        UUID deviceId = credentials.flatMap(c -> WireValues.canonicalUuid(c.username())).orElse(null);
        if (deviceId == null) {
            throw deviceNotRegistered();
        }
        @SuppressWarnings("unchecked")
        java.util.List<Object[]> rows = entities.createNativeQuery("SELECT d.secret_hash, d.failed_fetches, "
                        + "d.failed_fetch_window_start, r.id, r.device_certificate, r.disenrolled_at, "
                        + "t.registration_id, t.expires_at, t.duress FROM device d "
                        + "LEFT JOIN registration r ON r.device_id = d.device_id AND r.user_id = ?2 "
                        + "LEFT JOIN access_token t ON t.token_hash = ?3 "
                        + "WHERE d.device_id = ?1")
                .setParameter(1, deviceId).setParameter(2, userId == null ? "" : userId)
                .setParameter(3, accessToken == null ? "" : Secrets.sha256Hex(accessToken))
                .getResultList();
        checkSecret(deviceId, credentials.get().password(), rows.isEmpty() ? null : (String) rows.get(0)[0]);
        Object[] row = rows.get(0);
        if (row[3] == null) {
            throw userNotRegistered();
        }
        long registrationId = ((Number) row[3]).longValue();
        if (row[6] == null || ((Number) row[6]).longValue() != registrationId
                || !WireValues.instant(row[7]).isAfter(Instant.now())) {
            throw notAuthenticated();
        }
        return new MobileAuthSession(deviceId, userId, registrationId, (String) row[4],
                row[5] == null ? null : WireValues.instant(row[5]), ((Number) row[1]).intValue(),
                row[2] == null ? null : WireValues.instant(row[2]), (String) row[0], Boolean.TRUE.equals(row[8]));
    }

    private static DeviceApiException deviceNotRegistered() {
        return new DeviceApiException(DeviceErrorCode.DEVICE_DEREGISTERED, "This device is not registered");
    }

    private static DeviceApiException userNotRegistered() {
        return new DeviceApiException(DeviceErrorCode.USER_DEREGISTERED, "This user is not registered on this device");
    }

    private static DeviceApiException notAuthenticated() {
        return new DeviceApiException(DeviceErrorCode.USER_NOT_AUTHENTICATED, "No valid access token: log in with the PIN");
    }

    /** The registration, or USER_DEREGISTERED. */
    @Transactional
    public Registration registration(UUID deviceId, String userId) {
        Registration registration = Registration.find("deviceId = ?1 and userId = ?2", deviceId, userId).firstResult();
        if (registration == null) {
            throw userNotRegistered();
        }
        return registration;
    }

    @Transactional
    public void logout(Registration registration, String accessToken) {
        if (AccessToken.delete("tokenHash = ?1", Secrets.sha256Hex(accessToken)) > 0) {
            audit.record(AuditType.USER_LOGGED_OUT, Subject.device(registration.deviceId).user(registration.userId), null);
        }
    }

    /** Removes the user from the device: registration, enrollment and sessions. */
    @Transactional
    public boolean removeUser(UUID deviceId, String userId, Subject actor) {
        long removed = Registration.delete("deviceId = ?1 and userId = ?2", deviceId, userId);
        if (removed > 0) {
            audit.record(AuditType.USER_DEREGISTERED, actor.onDevice(deviceId).user(userId), null);
        }
        return removed > 0;
    }
}
