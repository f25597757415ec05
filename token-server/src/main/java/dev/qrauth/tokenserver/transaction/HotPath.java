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
import dev.qrauth.protocol.portal.AuthenticationStarted;
import dev.qrauth.protocol.portal.TransactionResult;
import dev.qrauth.tokenserver.WireValues;
import dev.qrauth.tokenserver.authtype.ProximityPolicy;
import dev.qrauth.tokenserver.authtype.TypeRules;
import dev.qrauth.tokenserver.callback.CallbackDelivery;
import dev.qrauth.tokenserver.client.ApiClient;
import dev.qrauth.tokenserver.device.MobileAuthSession;
import dev.qrauth.tokenserver.enrollment.ServerKeys;
import dev.qrauth.tokenserver.error.DeviceApiException;
import dev.qrauth.tokenserver.receipt.ReceiptChain;
import dev.qrauth.tokenserver.receipt.ReceiptCheck;
import dev.qrauth.tokenserver.security.Secrets;
import dev.qrauth.tokenserver.transaction.TransactionStore.ClientGrant;
import dev.qrauth.tokenserver.transaction.TransactionStore.SessionGrant;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The five requests of a flow as the common case runs them: on the event loop, one statement
 * each ({@link TransactionStore}), the cryptography on {@link CryptoPool}, never while a database
 * connection is held, but for an answer's receipt: its countersignature covers the previous entry
 * of the user's chain, so it is made in the answer's database transaction, under the chain's lock
 * ({@link ReceiptChain}). The caller comes authenticated by Quarkus Security, most often from memory
 * ({@link InitiatorAuthentication}, {@link DeviceUserAuthentication}): the grant its identity
 * carries is checked again by the statement itself.
 *
 * <p>Whatever the hot path cannot settle by itself (an identity without a grant, an error of any
 * kind, a remembered authentication that no longer holds) goes to the full path on a worker
 * thread: the credentials checked again by the identity provider's own full check, and
 * {@link Transactions} with Hibernate, in one JTA transaction, exactly as before. The full path
 * therefore decides every refusal and every error body; the hot path only ever completes
 * requests that the full path would have completed the same way, and changes nothing when it
 * gives up.
 */
@ApplicationScoped
public class HotPath {

    private final TransactionStore store;
    private final Transactions transactions;
    private final InitiatorAuthentication initiators;
    private final DeviceUserAuthentication deviceUsers;
    private final KnownCredentials known;
    private final CryptoPool crypto;
    private final OpenPgp pgp;
    private final ServerKeys serverKeys;
    private final ProximityCheck proximityCheck;
    private final CallbackDelivery delivery;
    private final TransactionMetrics metrics;
    @Inject
    ReceiptChain receipts;

    HotPath(TransactionStore store, Transactions transactions, InitiatorAuthentication initiators,
            DeviceUserAuthentication deviceUsers, KnownCredentials known, CryptoPool crypto, OpenPgp pgp,
            ServerKeys serverKeys, ProximityCheck proximityCheck, CallbackDelivery delivery, TransactionMetrics metrics) {
        this.store = store;
        this.transactions = transactions;
        this.initiators = initiators;
        this.deviceUsers = deviceUsers;
        this.known = known;
        this.crypto = crypto;
        this.pgp = pgp;
        this.serverKeys = serverKeys;
        this.proximityCheck = proximityCheck;
        this.delivery = delivery;
        this.metrics = metrics;
    }

    // ---- Portal side --------------------------------------------------------------------------

    /** Flow steps 1-2. */
    public Uni<AuthenticationStarted> initiate(Initiator initiator, InitiateRequest request) {
        ClientGrant client = initiator.grant();
        TypeRules type = request.type() == null ? null : known.type(request.type());
        // Four-eyes transactions, and any initiation naming approvers, are the full path's (FourEyes).
        if (client == null || type == null || type.fourEyes() || request.approvers() != null) {
            return fullInitiate(initiator, request, false);
        }
        NewTransaction start;
        try {
            start = Transactions.prepare(request, type, client.callbackUris(), transactions.drawShortCode());
        } catch (RuntimeException refused) {
            // Refusals are the full path's to give, after it has authenticated the client again.
            return fullInitiate(initiator, request, false);
        }
        transactions.checkRate(client.clientId());
        return store.start(start, client, Secrets.sha256Hex(start.code()), transactions.shortCodeHash(start.shortCode()),
                        transactions.pendingCap(), transactions.sealFrameCode(start))
                .onItem().transformToUni(written -> written ? Uni.createFrom().item(() -> {
                            metrics.request("initiate", true);
                            return start.started();
                        })
                        : fullInitiate(initiator, request, true));
    }

    /** Flow step 11. */
    public Uni<TransactionResult> result(Initiator initiator, String transactionId) {
        ClientGrant client = initiator.grant();
        UUID id = WireValues.canonicalUuid(transactionId).orElse(null);
        if (client == null || id == null) {
            return fullResult(initiator, transactionId);
        }
        return store.read(id, client, Instant.now()).onItem().transformToUni(stored -> {
            if (stored == null) {
                return fullResult(initiator, transactionId);
            }
            metrics.request("result", true);
            return Uni.createFrom().item(Transactions.resultOf(stored));
        });
    }

    private Uni<AuthenticationStarted> fullInitiate(Initiator initiator, InitiateRequest request, boolean rateChecked) {
        metrics.request("initiate", false);
        return blocking(() -> {
            ApiClient client = initiators.verify(initiator).client();
            return transactions.initiate(client, request, rateChecked);
        });
    }

    private Uni<TransactionResult> fullResult(Initiator initiator, String transactionId) {
        metrics.request("result", false);
        return blocking(() -> {
            ApiClient client = initiators.verify(initiator).client();
            return transactions.result(client, PortalResource.transactionId(transactionId));
        });
    }

    // ---- Device side --------------------------------------------------------------------------

    /** Flow steps 5-6. */
    public Uni<SealedMessage> fetch(DeviceUser user, String otp, String phoneAddress) {
        SessionGrant session = user.grant();
        OtpDecoding decoding = otp == null ? null : OtpCodec.decode(otp);
        if (session == null || !(decoding instanceof OtpDecoding.Accepted accepted)) {
            return fullFetch(user, otp, phoneAddress);
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
                                TransactionStatus.SCANNED, scanned.callbackCreatedAt(), lease, false);
                    }
                    if (scanned == null) {
                        return fullFetch(user, otp, phoneAddress);
                    }
                    metrics.request("fetch", true);
                    return proximity(transactionId, scanned, phoneAddress).onItem().transformToUni(proximity -> {
                        MobileAuthMessage message = transactions.messageFor(transactionId, user.userId(), scanned.typeName(),
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
    public Uni<SealedMessage> fetchByShortCode(DeviceUser user, String shortCode, String phoneAddress) {
        metrics.request("fetch", false);
        return blockingOutcome(() -> {
            MobileAuthSession session = deviceUsers.verify(user).session();
            if (shortCode == null) {
                throw new DeviceApiException(dev.qrauth.protocol.error.DeviceErrorCode.INVALID_REQUEST,
                        "short_code is required");
            }
            return transactions.fetchByShortCode(session, shortCode, phoneAddress);
        });
    }

    /** Flow steps 9-10. */
    public Uni<AnswerAccepted> answer(DeviceUser user, String transactionId, SealedMessage sealed) {
        SessionGrant session = user.grant();
        UUID id = WireValues.canonicalUuid(transactionId).orElse(null);
        if (session == null || id == null || sealed == null) {
            return fullAnswer(user, transactionId, sealed);
        }
        return crypto.run(() -> openOrNull(sealed, id, session)).onItem().transformToUni(opened -> {
            if (opened == null) {
                // Refused answers are audited and explained by the full path, as are answers
                // without a receipt, for which it writes one.
                return fullAnswer(user, transactionId, sealed);
            }
            MobileAuthAnswer answer = opened.answer();
            boolean confirmed = answer.decision() == AnswerDecision.CONFIRMED;
            NotAuthenticatedReason denial = answer.denyReason() == DenyReason.FRAUD
                    ? NotAuthenticatedReason.FRAUD_REPORTED : NotAuthenticatedReason.NOT_ACCEPTED;
            String reverseCode = String.format("%06d", Secrets.random().nextInt(1_000_000));
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            Instant lease = delivery.reserveNodeSlot() ? CallbackDelivery.leaseFrom(now) : null;
            return store.answer(id, session, confirmed, answer.chosenNumber(), denial.wireName, answer.nonce(),
                            Transactions.reverseCodeHash(id, reverseCode), now, lease,
                            (connection, changed) -> receipts.append(connection, new ReceiptChain.Append(
                                    session.userId(), id, changed.clientId(), opened.receipt().statementBytes(),
                                    opened.receipt().signature(), opened.receipt().deviceFingerprint(), now),
                                    opened.receipt().statement().text(), opened.receipt().statement().secureText(),
                                    crypto.executor()))
                    // A receipt with other text than the transaction's: the full path refuses it.
                    .onFailure(ReceiptChain.TextMismatch.class).recoverWithNull()
                    .onFailure().invoke(() -> release(lease))
                    .onItem().transformToUni(answered -> {
                        if (answered == null) {
                            release(lease);
                            return fullAnswer(user, transactionId, sealed);
                        }
                        startCallback(answered.callbackId(), id, answered.clientId(), answered.callbackUri(),
                                answered.status(), answered.callbackCreatedAt(), lease, answered.duress());
                        metrics.request("answer", true);
                        if (answered.refusedUnderDuress()) {
                            // The phone is answered as a normal approval would have been; the code
                            // shown leads nowhere, since the transaction is already REJECTED.
                            metrics.outcome(answered.status());
                            metrics.answered(Duration.between(answered.createdAt(), now));
                            return Uni.createFrom().item(Transactions.answerToApproval(answered.reverseCodeType(),
                                    reverseCode));
                        }
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

    /** An opened answer with its checked receipt. */
    private record Opened(MobileAuthAnswer answer, ReceiptCheck.Accepted receipt) {
    }

    private Opened openOrNull(SealedMessage sealed, UUID transactionId, SessionGrant session) {
        try {
            MobileAuthAnswer answer = transactions.open(sealed, transactionId, session.certificate());
            if (!answer.transactionId().equals(transactionId) || answer.decision() == AnswerDecision.UNRECOGNIZED
                    || answer.receipt() == null) {
                return null;
            }
            return new Opened(answer, ReceiptCheck.check(pgp, answer, session.certificate(), transactionId,
                    session.userId(), session.deviceId()));
        } catch (DeviceApiException | ReceiptCheck.Refused refused) {
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

    private Uni<SealedMessage> fullFetch(DeviceUser user, String otp, String phoneAddress) {
        metrics.request("fetch", false);
        return blockingOutcome(() -> {
            MobileAuthSession session = deviceUsers.verify(user).session();
            if (otp == null) {
                throw new DeviceApiException(dev.qrauth.protocol.error.DeviceErrorCode.INVALID_REQUEST, "otp is required");
            }
            return transactions.fetch(session, otp, phoneAddress);
        });
    }

    private Uni<AnswerAccepted> fullAnswer(DeviceUser user, String transactionId, SealedMessage sealed) {
        UUID id = WireValues.canonicalUuid(transactionId).orElse(null);
        metrics.request("answer", false);
        return blockingOutcome(() -> {
            MobileAuthSession session = deviceUsers.verify(user).session();
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
                               TransactionStatus status, Instant createdAt, Instant lease, boolean duress) {
        if (lease != null) {
            delivery.startReserved(new CallbackDelivery.Claimed(callbackId, transactionId, clientId, callbackUri, status, createdAt,
                    1, lease, duress));
        }
    }

    private void release(Instant lease) {
        if (lease != null) {
            delivery.releaseNodeSlot();
        }
    }
}
