/**
 * Verifiable receipts ({@code docs/PROTOCOL.md}, "Receipts"): the statement a phone signs when it
 * answers, the token server's countersigned entry that links it into a hash chain per user, the
 * wire form both are read in, and the checks anyone holding the server's certificate can run
 * offline. It does not fetch anything: callers bring the receipts and the certificates.
 */
package dev.qrauth.protocol.receipt;
