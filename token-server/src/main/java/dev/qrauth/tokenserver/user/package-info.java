/**
 * Users and their single-use activation codes, as the admin creates them. Which devices a user
 * is on it asks through {@link dev.qrauth.tokenserver.user.UserDevices}, so it depends on
 * {@code audit}, {@code error} and {@code security} only.
 */
package dev.qrauth.tokenserver.user;
