/**
 * The device API ({@code /device/api/v1}): devices, the users registered on them with their PINs,
 * PIN login and access tokens. Registrations are kept here; enrollment and the admin's views of
 * users reach them through {@link dev.qrauth.tokenserver.device.MobileAuthEnrollment} and
 * {@code user.UserDevices}. The credentials of a flow's fetch and answer are presented here
 * ({@link dev.qrauth.tokenserver.device.DeviceUserCredentialsRequest}) and checked with
 * {@link dev.qrauth.tokenserver.device.Devices#mobileAuthSession} by
 * {@code transaction.DeviceUserAuthentication}. May depend on {@code user}, {@code audit}, {@code error},
 * {@code security} and {@code ratelimit}.
 */
package dev.qrauth.tokenserver.device;
