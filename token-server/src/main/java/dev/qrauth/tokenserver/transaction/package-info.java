/**
 * Mobile-auth transactions: the portal API (initiate, result, cancel) and the device's side
 * (fetch, answer), with the hot path that serves them on the event loop, the initiation limit,
 * the expiry sweep and the retention purge. It sits on top of the feature packages and may use
 * any of them but {@code admin}; it provides {@code client.OpenTransactions} to the client
 * package, and the identity providers of the flow's calls (roles {@code INITIATOR} and
 * {@code DEVICE_USER}) for the credentials that the client's and the device's mechanisms
 * present on those calls, since what they remember is the hot path's.
 */
package dev.qrauth.tokenserver.transaction;
