/**
 * API clients, the portals: their records, secrets and allow-listed callback URIs, and the
 * authentication of the portal API's calls (the identity of the two calls of a flow, initiation
 * and the result read, is given by {@code transaction.InitiatorAuthentication}). What a change to a client needs from its
 * transactions it asks through {@link dev.qrauth.tokenserver.client.OpenTransactions}, so it
 * depends on {@code audit}, {@code error} and {@code security} only.
 */
package dev.qrauth.tokenserver.client;
