/**
 * Mobile-auth enrollment: a registered user's device certificate in, the server's key out, and
 * disenrollment by the admin or a portal; also the server's own keys and the cache of parsed
 * device certificates. Built on registrations, so it may depend on {@code device}, and on
 * {@code client}, {@code authtype}, {@code audit}, {@code error} and {@code security}.
 */
package dev.qrauth.tokenserver.enrollment;
