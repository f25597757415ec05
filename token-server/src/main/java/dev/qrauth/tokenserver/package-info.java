/**
 * The token server: the authority that issues OTPs to portals, talks to devices and calls
 * portals back. It speaks to the other parties only through the wire formats of
 * {@code docs/PROTOCOL.md}.
 */
package dev.qrauth.tokenserver;
