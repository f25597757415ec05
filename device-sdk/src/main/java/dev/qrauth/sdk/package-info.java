/**
 * The device SDK: what a phone app calls to take part in QR login. {@link dev.qrauth.sdk.UserClient}
 * is the entry point.
 *
 * <p>It does not show anything to the user: the app draws its own screens and passes the user's
 * decisions back.
 */
package dev.qrauth.sdk;
