/**
 * The bodies of the portal-facing API ({@code docs/PROTOCOL.md}, "Portal API"): what an
 * initiation returns, the transaction result, and the callback notification. Member names are
 * those of the Onegini v4 mobile-authentication API plus this server's additive fields.
 */
package dev.qrauth.protocol.portal;
