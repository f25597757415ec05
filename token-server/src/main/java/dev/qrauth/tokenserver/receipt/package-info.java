/**
 * Verifiable receipts on the token server ({@code docs/PROTOCOL.md}, "Receipts"): the check of the
 * receipt a phone sends with its answer, the append of the countersigned entry to the user's
 * chain in the answer's own database transaction (on the full path and on the hot path), and the
 * portal's and the phone's reads of receipts. It does not decide answers; {@code transaction} does.
 */
package dev.qrauth.tokenserver.receipt;
