/**
 * The audit trail: security events recorded in the database transaction of the change they
 * describe, with refusals capped so that a flood of bad requests cannot fill the table, and the
 * listing the admin API pages through. Every feature records here, so it depends on nothing of
 * the server but its configuration and {@code ratelimit}.
 */
package dev.qrauth.tokenserver.audit;
