/**
 * A portal's side of the token server's portal API ({@code docs/PROTOCOL.md}, "Portal API" and
 * "Callbacks"), in plain Java: {@link dev.qrauth.portalclient.PortalClient} starts a mobile
 * authentication, reads its result, cancels it, asks whether a user can use mobile authentication,
 * disables a device and asks whether a callback URI would be accepted; {@link dev.qrauth.portalclient.CallbackVerifier} checks the callbacks the
 * token server sends. Every failure is a {@link dev.qrauth.portalclient.TokenServerException}
 * whose type says whether the server refused, did not answer, or answered something unreadable.
 *
 * <p>The answers are the wire types of {@code common-protocol} ({@code dev.qrauth.protocol.portal}).
 * Nothing here keeps state between calls: no cache of results, no retries. A callback only tells
 * the portal when to read a result again.
 */
package dev.qrauth.portalclient;
