/**
 * The OTP a portal shows as a QR code: {@link dev.qrauth.protocol.otp.OtpCodec} writes it and
 * strictly reads it back, returning a typed rejection for anything else.
 * {@link dev.qrauth.protocol.otp.OtpCode} makes and checks the one-time code inside it.
 *
 * <p>It does not hash, store or expire codes; that is the token server's job.
 */
package dev.qrauth.protocol.otp;
