/**
 * The request and response bodies of the device API ({@code docs/PROTOCOL.md}, "Device API")
 * other than the envelopes of {@link dev.qrauth.protocol.message}. Records that carry a secret
 * leave it out of {@code toString}.
 */
package dev.qrauth.protocol.device;
