/**
 * Secrets and how they are checked: Argon2id hashing, the budgets of failed authentications,
 * the master key that encrypts secrets at rest, the source address of a request, and files
 * only the server may read. It knows no client, device or admin; those packages ask it to check
 * a secret. May depend on {@code audit} and {@code ratelimit}.
 */
package dev.qrauth.tokenserver.security;
