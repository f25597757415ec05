/**
 * The edge of every API: the exceptions that carry a stable error body, the one mapper that
 * turns any failure into the body of its API (never a class name or a stack trace), and the
 * early refusals of bodies too large or of the wrong type. May depend on {@code security} only.
 */
package dev.qrauth.tokenserver.error;
