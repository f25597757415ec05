/**
 * The portal's connection to the token server: the {@code portal-client} library's
 * {@link dev.qrauth.portalclient.PortalClient}, set up from the portal's settings, and the one
 * refusal the portal treats as the administrator's to fix, a refused callback URI, which
 * {@link dev.qrauth.portal.tokenserver.CallbackUriCheck} asks about at start. It does not cache
 * results; callbacks only tell the portal when to read again.
 */
package dev.qrauth.portal.tokenserver;
