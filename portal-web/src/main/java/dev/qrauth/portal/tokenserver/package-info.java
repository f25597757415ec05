/**
 * The portal's client of the token server's portal API: initiate, read the result, cancel. It
 * does not cache results; callbacks only tell the portal when to read again.
 */
package dev.qrauth.portal.tokenserver;
