/**
 * The error codes and bodies of both APIs: the portal-facing codes and body of the Onegini v4
 * mobile-authentication API, and the device-facing codes that the SDK's errors are made of.
 *
 * <p>It does not map exceptions to responses; each server does that in one place.
 */
package dev.qrauth.protocol.error;
