/**
 * Callbacks to portals: the outbox written in the transaction of a state change, and the
 * delivery that leases due rows, signs them, sends them under per-node and per-client bounds
 * and records each attempt. It knows clients (where to send, with which secrets), not
 * transactions: the transaction package enqueues into it. May depend on {@code client},
 * {@code audit} and {@code security}.
 */
package dev.qrauth.tokenserver.callback;
