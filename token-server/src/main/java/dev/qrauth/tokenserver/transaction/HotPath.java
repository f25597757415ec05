package dev.qrauth.tokenserver.transaction;

import dev.qrauth.protocol.device.AnswerAccepted;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.message.AnswerDecision;
import dev.qrauth.protocol.message.DenyReason;
import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.protocol.message.Nonce;
import dev.qrauth.protocol.message.Proximity;
import dev.qrauth.protocol.message.SealedMessage;
import dev.qrauth.protocol.message.TransactionStatus;
import dev.qrauth.protocol.otp.OtpCodec;
import dev.qrauth.protocol.otp.OtpDecoding;
import dev.qrauth.protocol.pgp.OpenPgp;
import dev.qrauth.protocol.pgp.PgpCertificate;
import dev.qrauth.protocol.portal.AuthenticationStarted;
import dev.qrauth.protocol.portal.TransactionResult;
import dev.qrauth.tokenserver.WireValues;
import dev.qrauth.tokenserver.authtype.ProximityPolicy;
import dev.qrauth.tokenserver.authtype.TypeRules;
import dev.qrauth.tokenserver.callback.CallbackDelivery;
import dev.qrauth.tokenserver.client.ApiClient;
import dev.qrauth.tokenserver.client.ApiClients;
import dev.qrauth.tokenserver.device.Devices;
import dev.qrauth.tokenserver.device.MobileAuthSession;
import dev.qrauth.tokenserver.enrollment.DeviceCertificates;
import dev.qrauth.tokenserver.enrollment.ServerKeys;
import dev.qrauth.tokenserver.error.DeviceApiException;
import dev.qrauth.protocol.http.BasicCredentials;
import dev.qrauth.tokenserver.security.Secrets;
import dev.qrauth.tokenserver.security.VerifiedSecrets;
import dev.qrauth.tokenserver.transaction.TransactionStore.ClientGrant;
import dev.qrauth.tokenserver.transaction.TransactionStore.SessionGrant;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The five requests of a flow as the common case runs them: on the event loop, one statement
 * each ({@link TransactionStore}), the cryptography on {@link CryptoPool}, never while a database
 * connection is held, and authentication from memory ({@link KnownCredentials}) checked again by
 * the statement itself.
 *
 * <p>Whatever the hot path cannot settle by itself (a first request, an error of any kind, a
 * remembered authentication that no longer holds) goes to the full path on a worker thread:
 * {@link Transactions}, {@link ApiClients} and {@link Devices} with Hibernate in one JTA
 * transaction, exactly as before. The full path therefore decides every refusal and every error
 * body; the hot path only ever completes requests that the full path would have completed the
 * same way, and changes nothing when it gives up.
 */
@ApplicationScoped
public class HotPath {

    private final TransactionStore store;
    private final Transactions transactions;
    private final ApiClients clients;
    private final Devices devices;
    private final KnownCredentials known;
    private final VerifiedSecrets verifiedSecrets;
    private final DeviceCertificates deviceCertificates;
    private final CryptoPool crypto;
    private final OpenPgp pgp;
    private final ServerKeys serverKeys;
    private final ProximityCheck proximityCheck;
    private final CallbackDelivery delivery;
    private final TransactionMetrics metrics;

    HotPath(TransactionStore store, Transactions transactions, ApiClients clients, Devices devices, KnownCredentials known,
            VerifiedSecrets verifiedSecrets, DeviceCertificates deviceCertificates, CryptoPool crypto, OpenPgp pgp,
            ServerKeys serverKeys, ProximityCheck proximityCheck, CallbackDelivery delivery, TransactionMetrics metrics) {
        this.store = store;
        this.transactions = transactions;
        this.clients = clients;
        this.devices = devices;
        this.known = known;
        this.verifiedSecrets = verifiedSecrets;
        this.deviceCertificates = deviceCertificates;
        this.crypto = crypto;
        this.pgp = pgp;
        this.serverKeys = serverKeys;
        this.proximityCheck = proximityCheck;
        this.delivery = delivery;
        this.metrics = metrics;
    }

    // ---- Portal side --------------------------------------------------------------------------

    /** Flow steps 1-2. */
    public Uni<AuthenticationStarted> initiate(String authorization, String formClientId, String formClientSecret,
                                               InitiateRequest request) {
        ClientGrant client = knownClient(authorization, formClientId, formClientSecret);
        TypeRules type = request.type() == null ? null : known.type(request.type());
        if (client == null || type == null) {
            return fullInitiate(authorization, formClientId, formClientSecret, request, false);
        }
        NewTransaction start;
        try {
            start = Transactions.prepare(request, type, client.callbackUris(), transactions.drawShortCode());
        } catch (RuntimeException refused) {
            // Refusals are the full path's to give, after it has authenticated the client again.
            return fullInitiate(authorization, formClientId, formClientSecret, request, false);
        }
        transactions.checkRate(client.clientId());
        return store.start(start, client, Secrets.sha256Hex(start.code()), transactions.shortCodeHash(start.shortCode()),
                        transactions.pendingCap())
                .onItem().transformToUni(written -> written ? Uni.createFrom().item(() -> {
                            metrics.request("initiate", true);
                            return start.started();
                        })
                        : fullInitiate(authorization, formClientId, formClientSecret, request, true));
    }

    /** Flow step 11. */
    public Uni<TransactionResult> result(String authorization, String transactionId) {
        ClientGrant client = knownClient(authorization, null, null);
        Optional<UUID> id = WireValues.canonicalUuid(transactionId);
        if (client == null || id.isEmpty()) {
            return fullResult(authorization, transactionId);
        }
        return store.read(id.get(), client, Instant.now()).onItem().transformToUni(stored -> {
            if (stored == null) {
                return fullResult(authorization, transactionId);
            }
            metrics.request("result", true);
            return Uni.createFrom().item(Transactions.resultOf(stored));
        });
    }

    private Uni<AuthenticationStarted> fullInitiate(String authorization, String formClientId, String formClientSecret,
                                                    InitiateRequest request, boolean rateChecked) {
        metrics.request("initiate", false);
        return blocking(() -> {
            ApiClient client = authenticateClient(authorization, formClientId, formClientSecret);
            return transactions.initiate(client, request, rateChecked);
        });
    }

    private Uni<TransactionResult> fullResult(String authorization, String transactionId) {
        metrics.request("result", false);
        return blocking(() -> {
            ApiClient client = authenticateClient(authorization, null, null);
            return transactions.result(client, PortalResource.transactionId(transactionId));
        });
    }

    /** The full authentication of a client; remembered for the hot path when it succeeds. */
    private ApiClient authenticateClient(String authorization, String formClientId, String formClientSecret) {
        ApiClient client = clients.authenticate(authorization, formClientId, formClientSecret);
        credentials(authorization, formClientId, formClientSecret).ifPresent(presented -> {
            // The hash the secret matched: the current one, or the previous one in its overlap.
            String matched = verifiedSecrets.remembered(presented.password(), client.secretHash) ? client.secretHash
                    : client.previousSecretHash;
            if (matched != null) {
                known.rememberClient(presented.username(), presented.password(),
                        new ClientGrant(client.clientId, matched, client.callbackUris.clone()));
            }
        });
        return client;
    }

    private ClientGrant knownClient(String authorization, String formClientId, String formClientSecret) {
        return credentials(authorization, formClientId, formClientSecret)
                .map(presented -> known.client(presented.username(), presented.password()))
                .orElse(null);
    }

    /** The client's credentials when the request carries them one way only; else the full path decides. */
    private static Optional<BasicCredentials> credentials(String authorization, String formClientId,
                                                          String formClientSecret) {
        boolean inForm = formClientId != null || formClientSecret != null;
        if (inForm && authorization != null) {
            return Optional.empty();
        }
        return inForm ? BasicCredentials.fromForm(formClientId, formClientSecret) : BasicCredentials.parse(authorization);
    }

    // ---- Device side --------------------------------------------------------------------------

    /** Flow steps 5-6. */
    public Uni<SealedMessage> fetch(String authorization, String accessToken, String userId, String otp,
                                    String phoneAddress) {
        SessionGrant session = knownSession(authorization, accessToken, userId);
        OtpDecoding decoding = otp == null ? null : OtpCodec.decode(otp);
        if (session == null || !(decoding instanceof OtpDecoding.Accepted accepted)) {
            return fullFetch(authorization, accessToken, userId, otp, phoneAddress);
        }
        UUID transactionId = accepted.payload().transactionId();
        String nonce = Nonce.generate(Secrets.random());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant lease = delivery.reserveNodeSlot() ? CallbackDelivery.leaseFrom(now) : null;
        return store.scan(transactionId, Secrets.sha256Hex(accepted.payload().code()), session, nonce, now,
                        transactions.maxFailedFetches(), now.minus(transactions.failedFetchWindow()), lease)
                .onFailure().invoke(() -> release(lease))
                .onItem().transformToUni(scanned -> {
                    if (scanned == null || scanned.callbackId() == null) {
                        release(lease);
                    } else {
                        startCallback(scanned.callbackId(), transactionId, scanned.clientId(), scanned.callbackUri(),
                                TransactionStatus.SCANNED, scanned.callbackCreatedAt(), lease);
                    }
                    if (scanned == null) {
                        return fullFetch(authorization, accessToken, userId, otp, phoneAddress);
                    }
                    metrics.request("fetch", true);
                    return proximity(transactionId, scanned, phoneAddress).onItem().transformToUni(proximity -> {
                        MobileAuthMessage message = transactions.messageFor(transactionId, userId, scanned.typeName(),
                                scanned.message(), scanned.secureMessage(), scanned.clientDisplayName(),
                                scanned.userAgent(), scanned.ipAddress(), proximity, scanned.expiresAt(), nonce,
                                scanned.bindingCode());
                        return crypto.run(() -> new SealedMessage(transactionId, Base64.getEncoder().encodeToString(
                                pgp.encryptAndSign(ProtocolJson.write(message), session.certificate(), serverKeys.key()))));
                    });
                });
    }

    /**
     * Flow steps 5-6 with a short code instead of an OTP: always the full path, authenticated
     * exactly like {@link #fetch} and under the same budget of failed fetches.
     */
    public Uni<SealedMessage> fetchByShortCode(String authorization, String accessToken, String userId,
                                               String shortCode, String phoneAddress) {
        metrics.request("fetch", false);
        return blockingOutcome(() -> {
            MobileAuthSession session = authenticateSession(authorization, accessToken, userId);
            if (shortCode == null) {
                throw new DeviceApiException(dev.qrauth.protocol.error.DeviceErrorCode.INVALID_REQUEST,
                        "short_code is required");
            }
            return transactions.fetchByShortCode(session, shortCode, phoneAddress);
        });
    }

    /** Flow steps 9-10. */
    public Uni<AnswerAccepted> answer(String authorization, String accessToken, String userId, String transactionId,
                                      SealedMessage sealed) {
        SessionGrant session = knownSession(authorization, accessToken, userId);
        UUID id = WireValues.canonicalUuid(transactionId).orElse(null);
        if (session == null || id == null || sealed == null) {
            return fullAnswer(authorization, accessToken, userId, transactionId, sealed);
        }
        return crypto.run(() -> openOrNull(sealed, id, session.certificate())).onItem().transformToUni(answer -> {
            if (answer == null) {
                // Refused answers are audited and explained by the full path.
                return fullAnswer(authorization, accessToken, userId, transactionId, sealed);
            }
            boolean confirmed = answer.decision() == AnswerDecision.CONFIRMED;
            NotAuthenticatedReason denial = answer.denyReason() == DenyReason.FRAUD
                    ? NotAuthenticatedReason.FRAUD_REPORTED : NotAuthenticatedReason.NOT_ACCEPTED;
            String reverseCode = String.format("%06d", Secrets.random().nextInt(1_000_000));
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            Instant lease = delivery.reserveNodeSlot() ? CallbackDelivery.leaseFrom(now) : null;
            return store.answer(id, session, confirmed, answer.chosenNumber(), denial.wireName, answer.nonce(),
                            Transactions.reverseCodeHash(id, reverseCode), now, lease)
                    .onFailure().invoke(() -> release(lease))
                    .onItem().transformToUni(answered -> {
                        if (answered == null) {
                            release(lease);
                            return fullAnswer(authorization, accessToken, userId, transactionId, sealed);
                        }
                        startCallback(answered.callbackId(), id, answered.clientId(), answered.callbackUri(),
                                answered.status(), answered.callbackCreatedAt(), lease);
                        metrics.request("answer", true);
                        if (answered.awaitingCode()) {
                            return Uni.createFrom().item(new AnswerAccepted(TransactionStatus.SCANNED, reverseCode));
                        }
                        if (NotAuthenticatedReason.FRAUD_REPORTED.wireName.equals(answered.reason())) {
                            metrics.fraudReported();
                        }
                        metrics.outcome(answered.status());
                        metrics.answered(Duration.between(answered.createdAt(), now));
                        return Uni.createFrom().item(new AnswerAccepted(answered.status()));
                    });
        });
    }

    private MobileAuthAnswer openOrNull(SealedMessage sealed, UUID transactionId, PgpCertificate certificate) {
        try {
            MobileAuthAnswer answer = transactions.open(sealed, transactionId, certificate);
            return answer.transactionId().equals(transactionId) && answer.decision() != AnswerDecision.UNRECOGNIZED
                    ? answer : null;
        } catch (DeviceApiException refused) {
            return null;
        }
    }

    private Uni<Proximity> proximity(UUID transactionId, TransactionStore.Scanned scanned, String phoneAddress) {
        if (ProximityPolicy.OFF.wireName.equals(scanned.proximityPolicy())) {
            return Uni.createFrom().nullItem();
        }
        Proximity proximity = proximityCheck.classify(scanned.ipAddress(), phoneAddress);
        return store.recordProximity(transactionId, proximity).replaceWith(proximity);
    }

    private Uni<SealedMessage> fullFetch(String authorization, String accessToken, String userId, String otp,
                                         String phoneAddress) {
        metrics.request("fetch", false);
        return blockingOutcome(() -> {
            MobileAuthSession session = authenticateSession(authorization, accessToken, userId);
            if (otp == null) {
                throw new DeviceApiException(dev.qrauth.protocol.error.DeviceErrorCode.INVALID_REQUEST, "otp is required");
            }
            return transactions.fetch(session, otp, phoneAddress);
        });
    }

    private Uni<AnswerAccepted> fullAnswer(String authorization, String accessToken, String userId, String transactionId,
                                           SealedMessage sealed) {
        UUID id = WireValues.canonicalUuid(transactionId).orElse(null);
        metrics.request("answer", false);
        return blockingOutcome(() -> {
            MobileAuthSession session = authenticateSession(authorization, accessToken, userId);
            if (id == null) {
                throw new DeviceApiException(dev.qrauth.protocol.error.DeviceErrorCode.NOT_FOUND, "No such transaction");
            }
            if (sealed == null) {
                throw new DeviceApiException(dev.qrauth.protocol.error.DeviceErrorCode.INVALID_REQUEST,
                        "A sealed answer is required");
            }
            return transactions.answer(session, id, sealed);
        });
    }

    private SessionGrant knownSession(String authorization, String accessToken, String userId) {
        if (accessToken == null || userId == null) {
            return null;
        }
        Optional<BasicCredentials> device = BasicCredentials.parse(authorization);
        if (device.isEmpty()) {
            return null;
        }
        return known.session(device.get().username(), device.get().password(), userId, accessToken);
    }

    /** The full authentication of a device user; remembered for the hot path when it is enrolled. */
    private MobileAuthSession authenticateSession(String authorization, String accessToken, String userId) {
        MobileAuthSession session = devices.mobileAuthSession(authorization, accessToken, userId);
        if (session.deviceCertificate() != null && accessToken != null) {
            BasicCredentials.parse(authorization).ifPresent(device -> {
                SessionGrant grant = new SessionGrant(session.deviceId(), userId, session.registrationId(),
                        session.deviceSecretHash(), Secrets.sha256Hex(session.deviceCertificate()),
                        Secrets.sha256Hex(accessToken), deviceCertificates.of(session.deviceCertificate()));
                known.rememberSession(device.username(), device.password(), userId, accessToken, grant);
            });
        }
        return session;
    }

    // ---- Both ---------------------------------------------------------------------------------

    /** The full path, on a worker thread, in one database transaction. */
    private static <T> Uni<T> blocking(Supplier<T> step) {
        return Uni.createFrom().item(() -> QuarkusTransaction.joiningExisting().call(step::get))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /**
     * The full path of a device step: a refusal it returns commits (a failed fetch is counted, a
     * refused answer audited) and is thrown only afterwards.
     */
    private static <T> Uni<T> blockingOutcome(Supplier<Outcome<T>> step) {
        return HotPath.<Outcome<T>>blocking(step).map(Outcome::orThrow);
    }

    private void startCallback(long callbackId, UUID transactionId, String clientId, String callbackUri,
                               TransactionStatus status, Instant createdAt, Instant lease) {
        if (lease != null) {
            delivery.startReserved(new CallbackDelivery.Claimed(callbackId, transactionId, clientId, callbackUri, status, createdAt,
                    1, lease));
        }
    }

    private void release(Instant lease) {
        if (lease != null) {
            delivery.releaseNodeSlot();
        }
    }
}
