package dev.qrauth.sdk;

import dev.qrauth.protocol.message.TransactionStatus;

/** What the server said after accepting an answer: the state the transaction reached. */
public record MobileAuthInfo(TransactionStatus status) {
}
